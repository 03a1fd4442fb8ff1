use tokio::sync::mpsc;

// ANCHOR: main
// 单线程运行时：任务轮流在同一个线程上执行，输出顺序可以复现。
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 有界通道：最多缓存 3 条消息，满了发送方就得等。
    let (tx, mut rx) = mpsc::channel(3);

    // 生产者
    let producer = tokio::spawn(async move {
        for i in 0..8 {
            // 通道满时 send 返回 Pending，生产者在这里让出线程。
            tx.send(i).await.unwrap();
            println!("发送：{i}");
        }
        // tx 在这里被丢弃：通道关闭，消费者的 recv 随后返回 None。
    });

    // 消费者
    while let Some(i) = rx.recv().await {
        println!("    接收：{i}");
    }
    producer.await.unwrap();
    println!("通道已关闭，消费者退出");
}
// ANCHOR_END: main
