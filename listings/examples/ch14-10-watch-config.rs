//! 示例 14-10：用 watch 通道热更新配置：请求开始时取一份 Arc，后台任务只关心最新值。

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::{Instant, sleep};

#[derive(Debug)]
struct Config {
    version: u32,
    greeting: String,
    delay_ms: u64,
}

// ANCHOR: request
/// 处理一个请求：开头取一份配置的 Arc，读锁当场就释放；
/// 整个请求用同一份配置，中途的更新只影响之后的请求。
async fn handle(rx: &watch::Receiver<Arc<Config>>, id: u32, start: Instant) -> String {
    let config = rx.borrow().clone();
    sleep(Duration::from_millis(config.delay_ms)).await;
    format!(
        "{:>3} ms 请求 {id}：{}（配置 v{}）",
        start.elapsed().as_millis(),
        config.greeting,
        config.version
    )
}
// ANCHOR_END: request

// ANCHOR: watcher
/// 一个关心配置变化的后台任务，例如按新配置重建连接池。
async fn watch_changes(mut rx: watch::Receiver<Arc<Config>>, start: Instant) {
    // changed() 在发送方全部被丢弃、且最新值已经看过时返回 Err，循环随之结束。
    while rx.changed().await.is_ok() {
        let config = rx.borrow_and_update().clone();
        println!(
            "{:>3} ms 后台任务看到 v{}：{}",
            start.elapsed().as_millis(),
            config.version,
            config.greeting
        );
    }
    println!(
        "{:>3} ms 配置的发送方已关闭，后台任务退出",
        start.elapsed().as_millis()
    );
}
// ANCHOR_END: watcher

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let (tx, rx) = watch::channel(Arc::new(Config {
        version: 1,
        greeting: "你好".to_string(),
        delay_ms: 30,
    }));
    let watcher = tokio::spawn(watch_changes(rx.clone(), start));

    let mut requests = tokio::task::JoinSet::new();
    for id in 1..=3 {
        let rx = rx.clone();
        requests.spawn(async move {
            sleep(Duration::from_millis(u64::from(id - 1) * 20)).await;
            handle(&rx, id, start).await
        });
    }

    // 10 ms 时连续重载两次：后台任务只会看到最后一次。
    sleep(Duration::from_millis(10)).await;
    for (version, greeting) in [(2, "Hello"), (3, "Bonjour")] {
        tx.send_replace(Arc::new(Config {
            version,
            greeting: greeting.to_string(),
            delay_ms: 5,
        }));
    }
    println!("{:>3} ms 重载配置到 v3", start.elapsed().as_millis());

    let mut lines = requests.join_all().await;
    lines.sort();
    for line in lines {
        println!("{line}");
    }
    drop(tx);
    watcher.await.unwrap();
}
// ANCHOR_END: main
