//! tokio 开 `full`：`#[tokio::main]`（多线程运行时，启用全部驱动），派生一个任务，等它交回一个数。
#[tokio::main]
async fn main() {
    let n = tokio::spawn(async { 42 }).await.unwrap();
    println!("{n}");
}
