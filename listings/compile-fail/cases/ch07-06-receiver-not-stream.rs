//! 示例 7-6（无法编译）：Tokio 的 mpsc::Receiver 没有实现 Stream，futures 的 StreamExt 用不上。
use futures::StreamExt;
use tokio::sync::mpsc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: receiver
    let (tx, mut rx) = mpsc::channel::<u32>(8);
    tx.send(1).await.unwrap();
    drop(tx);

    // 看起来和遍历 futures 的通道一样，但 Receiver 只有 recv()，不是流。
    while let Some(x) = rx.next().await {
        println!("{x}");
    }
    // ANCHOR_END: receiver
}
