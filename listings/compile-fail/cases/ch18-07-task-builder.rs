// 给任务起名字的 tokio::task::Builder 只在 --cfg tokio_unstable 且打开 tokio 的 tracing 特性时才存在。
// ANCHOR: builder
#[tokio::main]
async fn main() {
    let handle = tokio::task::Builder::new()
        .name("fetch-1")
        .spawn(async { 100 })
        .unwrap();
    println!("{}", handle.await.unwrap());
}
// ANCHOR_END: builder
