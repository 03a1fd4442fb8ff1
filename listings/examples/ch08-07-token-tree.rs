use tokio::time::{Duration, Instant, sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// 一个永远处理不完的连接：只有取消才能让它停下。
async fn serve_forever() {
    sleep(Duration::from_secs(3600)).await;
}

// ANCHOR: conn
/// 连接任务：令牌被取消时放弃 serve_forever，再花 100 ms 收尾。
async fn connection(name: &'static str, token: CancellationToken, start: Instant) {
    // run_until_cancelled：令牌被取消就丢弃内层 Future 并返回 None。
    if token.run_until_cancelled(serve_forever()).await.is_none() {
        println!("{:>5} ms  {name}：被取消，开始收尾", ms(start));
        sleep(Duration::from_millis(100)).await; // 例如发一条告别消息
        println!("{:>5} ms  {name}：收尾完毕", ms(start));
    }
}
// ANCHOR_END: conn

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: open
    let tracker = TaskTracker::new();
    // 空的、但没有关闭的 TaskTracker：wait() 不会完成。
    let waited = timeout(Duration::from_secs(1), tracker.wait()).await;
    println!(
        "空而未关闭时 wait()：{}",
        if waited.is_ok() { "完成" } else { "超时" }
    );
    // ANCHOR_END: open

    // ANCHOR: tree
    let start = Instant::now();
    let shutdown = CancellationToken::new(); // 根：整个服务
    let conn1 = shutdown.child_token();
    let conn2 = shutdown.child_token();
    let upload = conn2.child_token(); // 孙：连接 2 里的一次上传

    tracker.spawn(connection("连接 1", conn1, start));
    tracker.spawn(connection("连接 2", conn2.clone(), start));
    tracker.spawn(connection("连接 2 的上传", upload, start));
    println!("{:>5} ms  正在跟踪 {} 个任务", ms(start), tracker.len());

    sleep(Duration::from_secs(1)).await;
    println!("{:>5} ms  踢掉连接 2", ms(start));
    conn2.cancel(); // 取消子令牌：它自己和它的孩子
    sleep(Duration::from_millis(500)).await;
    println!(
        "{:>5} ms  根令牌已取消：{}",
        ms(start),
        shutdown.is_cancelled()
    );

    println!("{:>5} ms  关闭服务", ms(start));
    shutdown.cancel(); // 取消根令牌：整棵树
    tracker.close(); // 关闭并不禁止再派生任务，只是允许 wait() 在任务数归零时完成
    tracker.wait().await;
    println!(
        "{:>5} ms  全部任务已退出，剩 {} 个",
        ms(start),
        tracker.len()
    );
    // ANCHOR_END: tree
}
