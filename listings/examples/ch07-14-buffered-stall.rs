//! 示例 7-14：buffered 里的 Future 只在流被轮询时前进；消费者在忙，它们就停着。
use futures::stream::{self, StreamExt};
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: job
/// 一个两步的作业：先“连接”（耗时各不相同），再“查询” 50 毫秒。
async fn job(start: Instant, name: char, connect_ms: u64) -> char {
    sleep(Duration::from_millis(connect_ms)).await;
    let t = start.elapsed().as_millis();
    println!("  {t:>4} 毫秒：{name} 连接完成，开始查询");
    sleep(Duration::from_millis(50)).await;
    name
}

const JOBS: [(char, u64); 3] = [('A', 50), ('B', 150), ('C', 50)];

/// 消费者处理每个结果要 300 毫秒，期间它不会回来调用 next()。
async fn process(start: Instant, name: char) {
    let t = start.elapsed().as_millis();
    println!("  {t:>4} 毫秒：消费者开始处理 {name}");
    sleep(Duration::from_millis(300)).await;
}
// ANCHOR_END: job

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: stall
    println!("作业在流里：");
    let start = Instant::now();
    let mut results = stream::iter(JOBS)
        .map(|(name, ms)| job(start, name, ms))
        .buffered(2);
    while let Some(name) = results.next().await {
        process(start, name).await;
    }
    // ANCHOR_END: stall

    // ANCHOR: spawn
    println!("作业被派生为任务：");
    let start = Instant::now();
    let mut results = stream::iter(JOBS)
        // 流里放的是 JoinHandle：任务由运行时驱动，不必等消费者来轮询。
        .map(|(name, ms)| tokio::spawn(job(start, name, ms)))
        .buffered(2);
    while let Some(joined) = results.next().await {
        process(start, joined.unwrap()).await;
    }
    // ANCHOR_END: spawn
}
