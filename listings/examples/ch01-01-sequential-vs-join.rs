//! 示例 1-1：依次等待与并发等待两个模拟的 I/O 操作。
use std::time::Duration;
use tokio::time::{Instant, sleep};

// ANCHOR: io
/// 模拟一次 I/O：真正的程序在这里等待网络或磁盘，这里用计时器代替。
async fn fake_io(name: &str, ms: u64) -> String {
    sleep(Duration::from_millis(ms)).await;
    format!("{name}（{ms} ms）")
}
// ANCHOR_END: io

// ANCHOR: main
// 暂停的时钟：没有别的事可做时，运行时直接把时钟拨到下一个计时器，
// 所以这里测到的是“虚拟时间”，程序本身几乎瞬间结束，每次运行结果都相同。
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // 依次等待：B 要等 A 完成之后才开始。
    let start = Instant::now();
    let a = fake_io("A", 100).await;
    let b = fake_io("B", 200).await;
    let ms = start.elapsed().as_millis();
    println!("依次 await：{a}，{b}，用时 {ms} ms");

    // 并发等待：join! 同时推进两个 Future，两次等待相互重叠。
    let start = Instant::now();
    let (a, b) = tokio::join!(fake_io("A", 100), fake_io("B", 200));
    let ms = start.elapsed().as_millis();
    println!("tokio::join!：{a}，{b}，用时 {ms} ms");
}
// ANCHOR_END: main
