//! 示例 5-7（无法编译）：在 select! 里用 &mut 轮询一个没有固定的 Future。
use std::time::Duration;
use tokio::time::{interval, sleep};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: select
    let mut download = async {
        sleep(Duration::from_millis(100)).await; // 模拟一次耗时 100 毫秒的下载
        4096
    };
    let mut ticks = interval(Duration::from_millis(30));
    loop {
        tokio::select! {
            // &mut download：每一轮接着轮询同一个 Future，而不是新建一个。
            bytes = &mut download => {
                println!("下载完成：{bytes} 字节");
                break;
            }
            _ = ticks.tick() => println!("还在下载……"),
        }
    }
    // ANCHOR_END: select
}
