//! 示例 7-15：Sink：可以异步写入一串值的另一端。
use futures::channel::mpsc;
use futures::{SinkExt, StreamExt, stream};
use tokio::time::{Duration, Instant, sleep};
use tokio_util::sync::PollSender;

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: send
    // futures 的有界通道：容量是 buffer 加上发送端的个数，这里是 0 + 1 = 1。
    let (mut tx, mut rx) = mpsc::channel::<u32>(0);
    let start = Instant::now();
    let consumer = tokio::spawn(async move {
        // Receiver 是一个 Stream。
        while let Some(n) = rx.next().await {
            println!("{:>3} 毫秒：消费者取走 {n}", start.elapsed().as_millis());
            sleep(Duration::from_millis(100)).await;
        }
        println!(
            "{:>3} 毫秒：Sink 已关闭，流结束",
            start.elapsed().as_millis()
        );
    });

    for n in 1..=3 {
        // SinkExt::send：等 Sink 准备好（poll_ready），放入（start_send），再冲刷（poll_flush）。
        tx.send(n).await.unwrap();
        println!("{:>3} 毫秒：送出 {n}", start.elapsed().as_millis());
    }
    // close：冲刷并关闭，接收方取完剩下的值后得到 None。
    tx.close().await.unwrap();
    consumer.await.unwrap();
    // ANCHOR_END: send

    // ANCHOR: forward
    // tokio 的 mpsc::Sender 不是 Sink；tokio-util 的 PollSender 给它套上 Sink 接口。
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(4);
    // forward 要求元素是 Result（出错就停下），所以先 map(Ok)；流结束时它会关闭 Sink。
    stream::iter(10..13)
        .map(Ok)
        .forward(PollSender::new(tx))
        .await
        .unwrap();
    let mut got = Vec::new();
    while let Some(n) = rx.recv().await {
        got.push(n);
    }
    println!("forward 进 tokio 通道的值：{got:?}");
    // ANCHOR_END: forward
}
