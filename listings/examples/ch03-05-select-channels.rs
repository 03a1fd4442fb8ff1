use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

// ANCHOR: main
// 暂停的时钟：sleep 不真的等待，时间在所有任务都空闲时直接跳到下一个计时器。
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let (tx1, mut rx1) = mpsc::channel(10);
    let (tx2, mut rx2) = mpsc::channel(10);

    // 生产者 1：每 20 毫秒发一个数字，共 3 个。
    tokio::spawn(async move {
        for i in 1..=3 {
            sleep(Duration::from_millis(20)).await;
            tx1.send(i).await.unwrap();
        }
    });
    // 生产者 2：每 30 毫秒发一个字母，共 3 个。
    tokio::spawn(async move {
        for c in ['a', 'b', 'c'] {
            sleep(Duration::from_millis(30)).await;
            tx2.send(c).await.unwrap();
        }
    });

    loop {
        tokio::select! {
            // 按书写顺序检查分支：两个通道同时有消息时，通道 1 先被处理。
            biased;
            Some(v) = rx1.recv() => {
                println!("{:>3} ms 通道 1：{v}", start.elapsed().as_millis());
            }
            Some(v) = rx2.recv() => {
                println!("{:>3} ms 通道 2：{v}", start.elapsed().as_millis());
            }
            // 所有分支的模式都匹配失败（两个 recv 都返回了 None）时才走这里。
            else => break,
        }
    }
    println!("{:>3} ms 两个通道都已关闭", start.elapsed().as_millis());
}
// ANCHOR_END: main
