//! `smol::spawn` 的全局执行器：派生一个任务，等它交回一个数。
fn main() {
    let n = smol::block_on(smol::spawn(async { 42 }));
    println!("{n}");
}
