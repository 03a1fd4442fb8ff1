use std::time::Duration;

use tokio::time::sleep;
use tracing::{Instrument, info, info_span, instrument};

// ANCHOR: attribute
// #[instrument] 把函数体包进一个以参数为字段的 span；skip 去掉不想记录的参数。
#[instrument(name = "request", skip(db_ms))]
async fn handle(id: u32, db_ms: u64) {
    info!(from = id, "开始");
    sleep(Duration::from_millis(db_ms)).await;
    info!(from = id, "查询数据库");
    sleep(Duration::from_millis(5)).await;
    info!(from = id, "完成");
}
// ANCHOR_END: attribute

// ANCHOR: by_hand
// 不用宏的写法：把 async 块交给 Instrument::instrument。
async fn handle_by_hand(id: u32, db_ms: u64) {
    async move {
        info!(from = id, "开始");
        sleep(Duration::from_millis(db_ms)).await;
        info!(from = id, "查询数据库");
        sleep(Duration::from_millis(5)).await;
        info!(from = id, "完成");
    }
    .instrument(info_span!("request", id))
    .await
}
// ANCHOR_END: by_hand

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .init();

    // ANCHOR: main
    // 与示例 18-2 相同的时间安排：请求 1 等 10 毫秒，请求 2 等 20 毫秒。
    tokio::join!(biased; handle(1, 10), handle_by_hand(2, 20));
    info!("两个请求都结束了");
    // ANCHOR_END: main
}
