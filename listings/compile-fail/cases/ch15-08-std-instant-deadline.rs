//! 示例 15-8（无法编译）：把标准库的 Instant 交给 tokio 的 timeout_at。
use std::time::{Duration, Instant};

use tokio::time::{sleep, timeout_at};

// ANCHOR: main
#[tokio::main]
async fn main() {
    let deadline = Instant::now() + Duration::from_millis(800);
    let reply = timeout_at(deadline, sleep(Duration::from_millis(100))).await;
    println!("{reply:?}");
}
// ANCHOR_END: main
