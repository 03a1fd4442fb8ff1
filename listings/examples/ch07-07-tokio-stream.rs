//! 示例 7-7：用 tokio-stream 的包装类型把 Tokio 的通道和计时器变成 Stream。
use std::pin::pin;
use tokio::sync::mpsc;
use tokio::time::{Duration, Instant, interval, sleep};
use tokio_stream::wrappers::{IntervalStream, ReceiverStream};
// 只引入 tokio-stream 的 StreamExt：与 futures 的 StreamExt 同时引入，同名方法会冲突。
use tokio_stream::{Stream, StreamExt};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: interval
    // Interval 本身不是 Stream；包一层 IntervalStream 就是一个无穷的流。
    let start = Instant::now();
    let ticks = IntervalStream::new(interval(Duration::from_millis(100)));
    let (lower, upper) = ticks.size_hint();
    println!(
        "size_hint：下界是 usize::MAX？{}，上界 {upper:?}",
        lower == usize::MAX
    );
    let mut ticks = ticks.take(3);
    while let Some(_instant) = ticks.next().await {
        println!("{:>3} 毫秒：tick", start.elapsed().as_millis());
    }
    // ANCHOR_END: interval

    // ANCHOR: receiver
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        // 前 4 条消息接连到达，然后停顿 300 毫秒，再来 2 条。
        for (i, gap) in [0, 10, 10, 10, 300, 10].into_iter().enumerate() {
            sleep(Duration::from_millis(gap)).await;
            tx.send(i).await.unwrap();
        }
        // tx 在这里被丢弃，通道关闭，流随之结束。
    });

    let start = Instant::now();
    // 攒够 3 条，或者一批里第一条到达后已过 100 毫秒，就交出一批。
    let batches = ReceiverStream::new(rx).chunks_timeout(3, Duration::from_millis(100));
    // ChunksTimeout 里有一个 Sleep，不是 Unpin。
    let mut batches = pin!(batches);
    while let Some(batch) = batches.next().await {
        println!("{:>3} 毫秒：一批 {batch:?}", start.elapsed().as_millis());
    }
    // ANCHOR_END: receiver
}
