//! 只用标准库：开一个线程，等它交回一个数。
fn main() {
    let n = std::thread::spawn(|| 42).join().unwrap();
    println!("{n}");
}
