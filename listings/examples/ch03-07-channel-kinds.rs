use tokio::sync::{broadcast, mpsc, oneshot, watch};

// ANCHOR: oneshot
async fn oneshot_demo() {
    // 一次性：发送方 send 消耗 self，编译器保证只能发一次。
    let (reply_tx, reply_rx) = oneshot::channel::<String>();
    tokio::spawn(async move {
        reply_tx.send("查询结果".to_string()).unwrap();
    });
    println!("oneshot 收到：{}", reply_rx.await.unwrap());
}
// ANCHOR_END: oneshot

// ANCHOR: unbounded
fn unbounded_demo() {
    // 无界：send 是普通函数，从不等待，也就没有背压，
    // 消费者跟不上时消息会在内存里一直堆积。
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..1000 {
        tx.send(i).unwrap();
    }
    println!("unbounded mpsc 积压：{} 条", rx.len());
    rx.close();
}
// ANCHOR_END: unbounded

// ANCHOR: broadcast
async fn broadcast_demo() {
    // 容量 2：环形缓冲只保留最近 2 条，每个接收方各自从中读取。
    let (tx, mut fast) = broadcast::channel::<u32>(2);
    let mut slow = tx.subscribe();

    for i in 1..=3 {
        tx.send(i).unwrap();
        // fast 每发一条就读一条，跟得上。
        println!("broadcast fast 收到：{}", fast.recv().await.unwrap());
    }
    // slow 一直没读：最旧的 1 已被 3 覆盖，第一次 recv 报告落后了几条。
    println!("broadcast slow 第一次：{:?}", slow.recv().await);
    println!("broadcast slow 第二次：{:?}", slow.recv().await);
    println!("broadcast slow 第三次：{:?}", slow.recv().await);
}
// ANCHOR_END: broadcast

// ANCHOR: watch
async fn watch_demo() {
    // watch 只保存“当前值”：新值覆盖旧值，接收方只关心最新状态。
    let (tx, mut rx) = watch::channel("v1");
    tx.send("v2").unwrap();
    tx.send("v3").unwrap();
    // 连发两次，接收方只会看到一次变化，且只能看到最新的 v3。
    rx.changed().await.unwrap();
    println!("watch 当前值：{}", *rx.borrow_and_update());
    println!("watch 还有未读变化吗：{}", rx.has_changed().unwrap());
}
// ANCHOR_END: watch

#[tokio::main(flavor = "current_thread")]
async fn main() {
    oneshot_demo().await;
    unbounded_demo();
    broadcast_demo().await;
    watch_demo().await;
}
