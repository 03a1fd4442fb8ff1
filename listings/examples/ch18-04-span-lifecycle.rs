use std::time::Duration;

use tokio::time::{sleep, timeout};
use tracing::{info, instrument};
use tracing_subscriber::fmt::format::FmtSpan;

// ANCHOR: guard
// 析构时记一条日志的守卫，代表请求占用的连接。
struct Connection;

impl Drop for Connection {
    fn drop(&mut self) {
        info!("归还连接");
    }
}
// ANCHOR_END: guard

// ANCHOR: handle
#[instrument(name = "request")]
async fn handle(id: u32) {
    let _conn = Connection;
    info!("查询数据库");
    sleep(Duration::from_millis(10)).await;
    info!("完成");
}
// ANCHOR_END: handle

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: init
    // FmtSpan::FULL：span 被创建、进入、退出、关闭时各打印一行。
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .with_span_events(FmtSpan::FULL)
        .init();
    // ANCHOR_END: init

    // ANCHOR: main
    handle(1).await;
    // 第二个请求只给 5 毫秒：Future 停在 sleep 这个挂起点上被丢弃。
    let result = timeout(Duration::from_millis(5), handle(2)).await;
    info!(timed_out = result.is_err(), "请求 2 结束");
    // ANCHOR_END: main
}
