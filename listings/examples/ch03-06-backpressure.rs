use std::time::Duration;

use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::time::{Instant, sleep};

// ANCHOR: try_send
fn report(result: Result<(), TrySendError<u32>>) {
    match result {
        Ok(()) => println!("  成功"),
        // 满了：值原样退回给调用方，由它决定丢弃、重试还是降级。
        Err(TrySendError::Full(v)) => println!("  通道已满，{v} 被退回"),
        Err(TrySendError::Closed(v)) => println!("  接收方已关闭，{v} 被退回"),
    }
}

fn try_send_demo() {
    // 容量为 1：通道里最多只能有一条没被取走的消息。
    let (tx, mut rx) = mpsc::channel::<u32>(1);

    println!("try_send(1)");
    report(tx.try_send(1));
    println!("try_send(2)");
    report(tx.try_send(2));
    println!("try_recv() 取走 {:?}", rx.try_recv());
    println!("try_send(3)");
    report(tx.try_send(3));
    drop(rx);
    println!("丢弃接收方后 try_send(4)");
    report(tx.try_send(4));
}
// ANCHOR_END: try_send

// ANCHOR: paced
async fn paced_demo() {
    let start = Instant::now();
    let (tx, mut rx) = mpsc::channel::<u32>(1);

    // 生产者想多快就多快，但 send 在通道满时会等待。
    let producer = tokio::spawn(async move {
        for i in 1..=4 {
            tx.send(i).await.unwrap();
            println!("{:>3} ms 生产者：已发送 {i}", start.elapsed().as_millis());
        }
    });

    // 消费者每条消息要处理 100 毫秒：它的速度决定了生产者的速度。
    while let Some(i) = rx.recv().await {
        sleep(Duration::from_millis(100)).await;
        println!("{:>3} ms 消费者：处理完 {i}", start.elapsed().as_millis());
    }
    producer.await.unwrap();
}
// ANCHOR_END: paced

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    try_send_demo();
    println!();
    paced_demo().await;
}
