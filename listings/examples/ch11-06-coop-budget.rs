//! 示例 11-6：协作预算：一个总能收到消息的任务也会定期让出；
//! 用 unconstrained 包起来，它就一直占着线程，直到自己结束。

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;
use tokio::task::coop;

/// 只为让示例自己结束：收满这么多条，贪心的任务就退出。
const LIMIT: usize = 10_000;

// ANCHOR: greedy
/// 一个总能收到消息的接收者：每收到一条就原样放回去，通道永远不空。
async fn greedy(received: Arc<AtomicUsize>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    tx.send(()).unwrap();
    while let Some(msg) = rx.recv().await {
        tx.send(msg).unwrap();
        if received.fetch_add(1, Ordering::Relaxed) + 1 == LIMIT {
            break;
        }
    }
}
// ANCHOR_END: greedy

// ANCHOR: race
/// 先派生贪心的任务，再派生一个只看一眼计数的任务：后者什么时候才轮得到？
async fn race(unconstrained: bool) -> usize {
    let received = Arc::new(AtomicUsize::new(0));
    let greedy_task = if unconstrained {
        tokio::spawn(coop::unconstrained(greedy(received.clone())))
    } else {
        tokio::spawn(greedy(received.clone()))
    };
    let observer = tokio::spawn(async move { received.load(Ordering::Relaxed) });
    let seen = observer.await.unwrap();
    greedy_task.await.unwrap();
    seen
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!(
        "有预算：另一个任务运行时，贪心的任务收到了 {} 条",
        race(false).await
    );
    println!(
        "unconstrained：另一个任务运行时，贪心的任务收到了 {} 条",
        race(true).await
    );
}
// ANCHOR_END: race
