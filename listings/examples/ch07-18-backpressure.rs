//! 示例 7-18：流水线里的背压：慢的消费者让生产者放慢。
use async_stream::stream;
use futures::{Stream, StreamExt};
use std::pin::pin;
use tokio::time::{Duration, Instant, sleep};
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::PollSender;

// ANCHOR: source
/// 生产者：每生产一个值要 40 毫秒。
fn source(start: Instant, count: u32) -> impl Stream<Item = u32> {
    stream! {
        for i in 1..=count {
            sleep(Duration::from_millis(40)).await;
            println!("{:>4} 毫秒：生产 {i}", start.elapsed().as_millis());
            yield i;
        }
    }
}

/// 消费者：每个值要处理 100 毫秒。
async fn consume(start: Instant, items: impl Stream<Item = u32>) {
    let mut items = pin!(items);
    while let Some(i) = items.next().await {
        let t = start.elapsed().as_millis();
        println!("{t:>4} 毫秒：            消费 {i}");
        sleep(Duration::from_millis(100)).await;
    }
    println!("{:>4} 毫秒：全部处理完", start.elapsed().as_millis());
}
// ANCHOR_END: source

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: pull
    println!("直接相连：");
    let start = Instant::now();
    consume(start, source(start, 3)).await;
    // ANCHOR_END: pull

    // ANCHOR: bounded
    println!("中间隔一个容量为 2 的通道：");
    let start = Instant::now();
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    // 生产者在自己的任务里把流 forward 进通道：通道满时 Sink 没准备好，它就停下来等。
    let producer = tokio::spawn(source(start, 8).map(Ok).forward(PollSender::new(tx)));
    consume(start, ReceiverStream::new(rx)).await;
    producer.await.unwrap().unwrap();
    // ANCHOR_END: bounded
}
