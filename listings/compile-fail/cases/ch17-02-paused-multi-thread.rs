fn main() {}

// ANCHOR: paused_multi
// 想让心跳测试既跑在多线程运行时上，又用暂停的时钟：宏在编译期就拒绝。
#[tokio::test(flavor = "multi_thread", worker_threads = 2, start_paused = true)]
async fn heartbeat_every_second() {
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
}
// ANCHOR_END: paused_multi
