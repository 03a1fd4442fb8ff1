use std::pin::pin;

use tokio::sync::mpsc;
use tokio::time::{Duration, Instant, interval, sleep};

fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// 与示例 8-2 相同的生产者：A1 A2 | B1 B2 | C1 C2，每 100 ms 一条。
fn spawn_producer(tx: mpsc::Sender<String>) {
    tokio::spawn(async move {
        for frame in ["A", "B", "C"] {
            for half in 1..=2 {
                sleep(Duration::from_millis(100)).await;
                tx.send(format!("{frame}{half}")).await.unwrap();
            }
        }
        sleep(Duration::from_millis(150)).await;
    });
}

type Frame = Option<(String, String)>;

// ANCHOR: owned
/// 拿走接收端，读完一帧再把它交还：Future 不再借用循环外的变量，
/// 可以随时用一个新的 Future 替换它。
async fn read_frame(mut rx: mpsc::Receiver<String>) -> (Frame, mpsc::Receiver<String>) {
    let Some(first) = rx.recv().await else {
        return (None, rx);
    };
    let second = rx.recv().await;
    (second.map(|second| (first, second)), rx)
}

async fn pinned_outside(rx: mpsc::Receiver<String>, start: Instant) {
    let mut heartbeat = interval(Duration::from_millis(350));
    // 在循环之外创建并固定：心跳分支被选中时，它只是没被轮询，并没有被丢弃。
    let mut frame = pin!(read_frame(rx));
    loop {
        tokio::select! {
            biased;
            (result, rx) = &mut frame => {
                let Some((a, b)) = result else { break };
                println!("{:>4} ms  收到帧 ({a}, {b})", ms(start));
                frame.set(read_frame(rx)); // 这一帧读完了，换上读下一帧的 Future
            }
            _ = heartbeat.tick() => println!("{:>4} ms  心跳", ms(start)),
        }
    }
}
// ANCHOR_END: owned

// ANCHOR: state
async fn state_outside(mut rx: mpsc::Receiver<String>, start: Instant) {
    let mut heartbeat = interval(Duration::from_millis(350));
    // 半帧保存在循环之外；select! 里只剩取消安全的 recv。
    let mut first_half: Option<String> = None;
    loop {
        tokio::select! {
            biased;
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                match first_half.take() {
                    None => first_half = Some(msg),
                    Some(a) => println!("{:>4} ms  收到帧 ({a}, {msg})", ms(start)),
                }
            }
            _ = heartbeat.tick() => println!("{:>4} ms  心跳", ms(start)),
        }
    }
}
// ANCHOR_END: state

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    println!("== 固定在循环之外 ==");
    let (tx, rx) = mpsc::channel(8);
    spawn_producer(tx);
    pinned_outside(rx, Instant::now()).await;

    println!("== 状态放在循环之外 ==");
    let (tx, rx) = mpsc::channel(8);
    spawn_producer(tx);
    state_outside(rx, Instant::now()).await;
    // ANCHOR_END: main
}
