//! tokio 只开 `rt`：单线程运行时，派生一个任务，等它交回一个数。
fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let n = rt.block_on(async { tokio::spawn(async { 42 }).await.unwrap() });
    println!("{n}");
}
