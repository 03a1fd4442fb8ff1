//! 示例 15-3：用 interval 给请求限速；空闲一段时间之后，三种 MissedTickBehavior 的放行时刻。
use tokio::sync::mpsc;
use tokio::time::{Duration, Instant, MissedTickBehavior, interval, sleep};

// ANCHOR: pacer
/// 每收到一个请求，先等 interval 的下一拍，再“发出”它，记下发出的时刻（毫秒）。
async fn pace(behavior: MissedTickBehavior) -> Vec<u128> {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel::<u32>(16);

    // 请求的到达：0 毫秒来 3 个，然后空闲，1050 毫秒再来 12 个。
    tokio::spawn(async move {
        for id in 0..3 {
            tx.send(id).await.unwrap();
        }
        sleep(Duration::from_millis(1050)).await;
        for id in 3..15 {
            tx.send(id).await.unwrap();
        }
    });

    let mut ticker = interval(Duration::from_millis(100)); // 每秒最多 10 个
    ticker.set_missed_tick_behavior(behavior);
    let mut sent_at = Vec::new();
    while let Some(_request) = rx.recv().await {
        ticker.tick().await;
        sent_at.push(start.elapsed().as_millis());
    }
    sent_at
}
// ANCHOR_END: pacer

/// 把 [1050, 1050, 1100] 写成 “1050×2 1100”，连续相同的时刻只写一次。
fn compact(times: &[u128]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < times.len() {
        let n = times[i..].iter().take_while(|&&t| t == times[i]).count();
        out.push(if n > 1 {
            format!("{}×{n}", times[i])
        } else {
            times[i].to_string()
        });
        i += n;
    }
    out.join(" ")
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    for behavior in [
        MissedTickBehavior::Burst,
        MissedTickBehavior::Delay,
        MissedTickBehavior::Skip,
    ] {
        let times = pace(behavior).await;
        let (before, after) = times.split_at(3);
        let name = format!("{behavior:?}");
        println!(
            "{name:<5}：{} | 空闲之后：{}",
            compact(before),
            compact(after)
        );
    }
}
// ANCHOR_END: main
