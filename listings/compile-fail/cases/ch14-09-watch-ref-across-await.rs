//! 示例 14-9（无法编译）：watch::Ref 持有读锁，跨过 .await 的任务不是 Send。

use std::time::Duration;

use tokio::sync::watch;

#[derive(Debug)]
struct Config {
    greeting: String,
    delay_ms: u64,
}

// ANCHOR: spawn
#[tokio::main]
async fn main() {
    let (tx, rx) = watch::channel(Config {
        greeting: "你好".to_string(),
        delay_ms: 10,
    });
    let handle = tokio::spawn(async move {
        let config = rx.borrow();
        tokio::time::sleep(Duration::from_millis(config.delay_ms)).await;
        println!("{}", config.greeting);
    });
    handle.await.unwrap();
    drop(tx);
}
// ANCHOR_END: spawn
