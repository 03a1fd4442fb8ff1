//! 示例 5-8：同一个 Future 跨过多轮 select!：先固定，再用 &mut 轮询；Pin::set 原地换成新的。
use std::pin::pin;
use tokio::time::{Duration, Instant, interval, sleep};

/// 模拟从某个镜像下载：镜像 n 需要 n × 100 毫秒。
async fn download(mirror: u64) -> String {
    sleep(Duration::from_millis(mirror * 100)).await;
    format!("镜像 {mirror} 的数据")
}

fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

// ANCHOR: restart_bug
/// 坏做法（故意的）：每一轮都新建一个 download(1)，上一轮的那个被丢弃，下载永远从头开始。
async fn new_future_every_round(start: Instant) {
    let mut ticks = interval(Duration::from_millis(30));
    for _ in 0..6 {
        tokio::select! {
            biased;
            data = download(1) => {
                println!("[{:>3} ms] 下载完成：{data}", ms(start));
                return;
            }
            _ = ticks.tick() => println!("[{:>3} ms] 还在下载……", ms(start)),
        }
    }
    println!("[{:>3} ms] 6 轮之后仍未完成", ms(start));
}
// ANCHOR_END: restart_bug

// ANCHOR: pinned
async fn one_future_across_rounds(start: Instant) {
    let mut ticks = interval(Duration::from_millis(30));
    let mut job = pin!(download(3)); // 先固定；之后每一轮用 &mut job 轮询同一个 Future
    let mut rounds = 0;
    loop {
        tokio::select! {
            biased;
            data = &mut job => {
                println!("[{:>3} ms] 下载完成：{data}", ms(start));
                break;
            }
            _ = ticks.tick() => {
                rounds += 1;
                if rounds == 3 {
                    // 同一类型的新 Future 放进同一块固定的内存：旧的先被丢弃（取消）。
                    job.set(download(1));
                    println!("[{:>3} ms] 镜像 3 太慢，原地换成镜像 1", ms(start));
                } else {
                    println!("[{:>3} ms] 还在下载……", ms(start));
                }
            }
        }
    }
}
// ANCHOR_END: pinned

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("每轮新建 Future：");
    new_future_every_round(Instant::now()).await;

    println!("固定一次，每轮 &mut：");
    one_future_across_rounds(Instant::now()).await;
}
// ANCHOR_END: main
