//! 示例 7-9：futures 和 tokio-stream 各有一个 StreamExt：同名方法，签名不同。
use std::pin::pin;
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: scoped
// 做法一：use 写在函数体里，每个函数只看得见一个 StreamExt。
async fn evens_futures() -> Vec<u32> {
    use futures::StreamExt;
    futures::stream::iter(1..=6)
        // futures 版的 filter：闭包返回一个 Future<Output = bool>。
        .filter(|n| std::future::ready(n % 2 == 0))
        .collect()
        .await
}

async fn evens_tokio_stream() -> Vec<u32> {
    use tokio_stream::StreamExt;
    tokio_stream::iter(1..=6)
        // tokio-stream 版的 filter：闭包直接返回 bool。
        .filter(|n| n % 2 == 0)
        .collect()
        .await
}
// ANCHOR_END: scoped

// ANCHOR: qualified
// 做法二：以 futures 的 StreamExt 为主，需要 tokio-stream 独有的方法时写出完整路径。
async fn with_timeout() {
    use futures::StreamExt;
    let start = Instant::now();
    let slow = futures::stream::iter([30, 60, 250]).then(|ms| async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    });
    // timeout 只有 tokio-stream 有：每个元素最多等 100 毫秒，超时交出 Err，流继续。
    let guarded = tokio_stream::StreamExt::timeout(slow, Duration::from_millis(100));
    let mut guarded = pin!(guarded);
    while let Some(item) = guarded.next().await {
        let t = start.elapsed().as_millis();
        match item {
            Ok(ms) => println!("{t:>3} 毫秒：等了 {ms} 毫秒的元素到了"),
            Err(_elapsed) => println!("{t:>3} 毫秒：超过 100 毫秒没有新元素"),
        }
    }
}
// ANCHOR_END: qualified

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("futures 版：{:?}", evens_futures().await);
    println!("tokio-stream 版：{:?}", evens_tokio_stream().await);
    with_timeout().await;
}
