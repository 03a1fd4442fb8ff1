use std::pin::pin;

use tokio::sync::mpsc;
use tokio::time::{Duration, interval};

// ANCHOR: reborrow
async fn read_frame(rx: &mut mpsc::Receiver<String>) -> Option<(String, String)> {
    let first = rx.recv().await?;
    let second = rx.recv().await?;
    Some((first, second))
}

#[tokio::main]
async fn main() {
    let (_tx, mut rx) = mpsc::channel::<String>(8);
    let mut heartbeat = interval(Duration::from_millis(350));

    // 把 read_frame 移到循环之外并固定，每轮只轮询它的可变引用。
    let mut frame = pin!(read_frame(&mut rx));
    loop {
        tokio::select! {
            biased;
            result = &mut frame => {
                let Some((a, b)) = result else { break };
                println!("收到帧 ({a}, {b})");
                // 换上下一帧的 Future：旧 Future 还借着 rx，新的又要借一次。
                frame.set(read_frame(&mut rx));
            }
            _ = heartbeat.tick() => println!("心跳"),
        }
    }
}
// ANCHOR_END: reborrow
