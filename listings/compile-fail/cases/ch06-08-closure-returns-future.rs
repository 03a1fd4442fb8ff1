//! 示例 6-8（无法编译）：返回 async 块的普通闭包，不能让 Future 借用闭包捕获的状态。

use std::future::Future;
use std::time::Duration;

// ANCHOR: retry
// 重试：最多调用 op 若干次，直到成功。
async fn retry<F, Fut>(times: u32, mut op: F) -> Result<u32, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<u32, String>>,
{
    let mut last = Err("一次也没有尝试".to_string());
    for _ in 0..times {
        last = op().await;
        if last.is_ok() {
            break;
        }
    }
    last
}
// ANCHOR_END: retry

#[tokio::main]
async fn main() {
    // ANCHOR: call
    let mut log: Vec<String> = Vec::new();
    // 每次调用返回的 async 块都要借用闭包捕获的 log，并跨过 .await 持有这个借用。
    let result = retry(3, || async {
        log.push(format!("第 {} 次尝试", log.len() + 1));
        tokio::time::sleep(Duration::from_millis(100)).await;
        if log.len() < 3 {
            Err("超时".to_string())
        } else {
            Ok(42)
        }
    })
    .await;
    // ANCHOR_END: call
    println!("{result:?} {log:?}");
}
