// 常见的错误：worker_poll_count 需要 --cfg tokio_unstable，默认构建里不存在。
// ANCHOR: unstable
#[tokio::main]
async fn main() {
    let metrics = tokio::runtime::Handle::current().metrics();
    for worker in 0..metrics.num_workers() {
        let park = metrics.worker_park_count(worker);
        let poll = metrics.worker_poll_count(worker);
        println!("Worker {worker}: park={park}, poll={poll}");
    }
}
// ANCHOR_END: unstable
