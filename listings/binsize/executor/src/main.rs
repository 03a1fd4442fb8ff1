//! async-executor 的 `Executor`：派生一个任务，等它交回一个数。
fn main() {
    let ex = async_executor::Executor::new();
    let n = futures_lite::future::block_on(ex.run(ex.spawn(async { 42 })));
    println!("{n}");
}
