use std::time::Duration;

use tokio::task::JoinHandle;
use tracing::info;

// ANCHOR: init
fn init_tracing() {
    use tracing_subscriber::filter::LevelFilter;
    use tracing_subscriber::prelude::*;

    // 与前面的示例相同的日志输出，作为一层；这一层只要 INFO 及以上。
    let fmt = tracing_subscriber::fmt::layer()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .with_filter(LevelFilter::INFO);
    let registry = tracing_subscriber::registry().with(fmt);

    // 用 --cfg tokio_unstable 编译时，再叠一层 console：它自带过滤器，
    // 收下 tokio 在 TRACE 级别发出的任务和资源数据，经 gRPC 交给 tokio-console。
    #[cfg(tokio_unstable)]
    let registry = registry.with(console_subscriber::spawn());

    registry.init();

    #[cfg(tokio_unstable)]
    info!("tokio-console 可以连接 127.0.0.1:6669");
    #[cfg(not(tokio_unstable))]
    info!("没有用 --cfg tokio_unstable 编译：只输出日志");
}
// ANCHOR_END: init

// ANCHOR: spawn_named
// 任务的名字会出现在 tokio-console 的任务列表里。
// task::Builder 只在 tokio_unstable 加上 tokio 的 tracing 特性时才存在。
#[cfg(tokio_unstable)]
fn spawn_named<F>(name: &str, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::task::Builder::new()
        .name(name)
        .spawn(future)
        .expect("派生任务失败")
}

#[cfg(not(tokio_unstable))]
fn spawn_named<F>(_name: &str, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(future)
}
// ANCHOR_END: spawn_named

async fn fetch(i: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(10 * i)).await;
    i * 100
}

// ANCHOR: main
#[tokio::main]
async fn main() {
    init_tracing();
    // 默认 3 轮，转眼就结束；要在 tokio-console 里慢慢看，传一个大一些的轮数，例如 2000（约一分钟）。
    let rounds: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for round in 1..=rounds {
        let handles: Vec<_> = (1..=3)
            .map(|i| spawn_named(&format!("fetch-{i}"), fetch(i)))
            .collect();
        let mut total = 0;
        for h in handles {
            total += h.await.unwrap();
        }
        info!(round, total, "一轮完成");
    }
}
// ANCHOR_END: main
