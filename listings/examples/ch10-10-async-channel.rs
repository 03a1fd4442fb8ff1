//! 示例 10-10：async-channel 的有界通道——容量、背压、多个接收端与关闭。

use async_channel::TrySendError;
use smol::Executor;

// ANCHOR: main
fn main() {
    let ex = Executor::new();

    smol::block_on(ex.run(async {
        // 容量为 2：通道里最多同时存放 2 条消息（容量为 0 会 panic）。
        let (tx, rx) = async_channel::bounded::<u32>(2);

        // try_send 从不等待：通道满了就把消息原样退回。
        tx.try_send(1).unwrap();
        tx.try_send(2).unwrap();
        if let Err(TrySendError::Full(msg)) = tx.try_send(3) {
            println!("通道已满（{} 条），消息 {msg} 被退回", tx.len());
        }

        // send().await 在通道满时等待，直到有接收者取走消息：这就是背压。
        let producer = ex.spawn({
            let tx = tx.clone();
            async move {
                for msg in 3..=8 {
                    tx.send(msg).await.unwrap();
                }
                println!("生产者：全部发送完毕");
            }
        });
        // 只剩生产者任务持有发送端；它结束后通道关闭，接收循环随之结束。
        drop(tx);

        // 接收端也能克隆：多个消费者竞争同一个队列，每条消息只交给其中一个。
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let rx = rx.clone();
                ex.spawn(async move {
                    let mut got = Vec::new();
                    // 通道关闭且已取空时，recv 返回 Err，循环结束。
                    while let Ok(msg) = rx.recv().await {
                        got.push(msg);
                    }
                    got
                })
            })
            .collect();

        producer.await;
        let mut all = Vec::new();
        for consumer in consumers {
            all.extend(consumer.await);
        }
        // 两个消费者各拿到哪些消息取决于调度，排序后只看总体。
        all.sort();
        println!("消费者一共收到 {} 条：{all:?}", all.len());
        println!("通道已关闭：{}", rx.is_closed());
    }));
}
// ANCHOR_END: main
