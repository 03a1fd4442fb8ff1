//! 示例 7-5（无法编译）：流里有 async 块就不是 Unpin，不固定就调用 next()。
use futures::stream::{self, StreamExt};
use tokio::time::{Duration, sleep};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: unpinned
    let mut doubled = stream::iter(1..=3).then(|n| async move {
        sleep(Duration::from_millis(100)).await;
        n * 2
    });

    // 少了示例 7-4 里的 pin!：next() 要求流是 Unpin，而 then 里的 async 块不是。
    while let Some(x) = doubled.next().await {
        println!("{x}");
    }
    // ANCHOR_END: unpinned
}
