use tokio::sync::mpsc;
use tokio::time::{Duration, Instant, interval, sleep};

/// 从程序开始到现在的（虚拟）毫秒数。
fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// 每 100 ms 发一条消息，两条组成一帧：A1 A2 | B1 B2 | C1 C2。
fn spawn_producer(tx: mpsc::Sender<String>) {
    tokio::spawn(async move {
        for frame in ["A", "B", "C"] {
            for half in 1..=2 {
                sleep(Duration::from_millis(100)).await;
                tx.send(format!("{frame}{half}")).await.unwrap();
            }
        }
        sleep(Duration::from_millis(150)).await;
        // tx 在这里被丢弃，通道随之关闭
    });
}

// ANCHOR: read_frame
/// 读一帧：连续两次 recv。每次 recv 都是取消安全的，合起来却不是。
async fn read_frame(rx: &mut mpsc::Receiver<String>, start: Instant) -> Option<(String, String)> {
    let first = rx.recv().await?;
    println!("{:>4} ms  read_frame 取到 {first}", ms(start));
    let second = rx.recv().await?; // first 活在这个挂起点上
    println!("{:>4} ms  read_frame 取到 {second}", ms(start));
    Some((first, second))
}
// ANCHOR_END: read_frame

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel(8);
    spawn_producer(tx);

    // ANCHOR: loop
    let mut heartbeat = interval(Duration::from_millis(350));
    loop {
        tokio::select! {
            biased;
            // 每一轮循环都新建一个 read_frame；没被选中的那个在 select! 结束时被丢弃。
            frame = read_frame(&mut rx, start) => match frame {
                Some((a, b)) => println!("{:>4} ms  收到帧 ({a}, {b})", ms(start)),
                None => break,
            },
            _ = heartbeat.tick() => println!("{:>4} ms  心跳", ms(start)),
        }
    }
    println!("{:>4} ms  通道已关闭", ms(start));
    // ANCHOR_END: loop
}
