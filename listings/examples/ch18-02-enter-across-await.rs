use std::time::Duration;

use tokio::time::sleep;
use tracing::{info, info_span};

// ANCHOR: wrong
// 坏做法，仅作演示：把 span.enter() 的守卫留到 .await 之后。
async fn handle(id: u32, db_ms: u64) {
    let span = info_span!("request", id);
    let _guard = span.enter();
    // 字段 from 记下事件真正出自哪个请求，用来核对 span 说得对不对。
    info!(from = id, "开始");
    // 在这里挂起时守卫没有被丢弃：线程仍然“在”这个 span 里，
    // 接下来被轮询的别的 Future 也就被算进了这个请求。
    sleep(Duration::from_millis(db_ms)).await;
    info!(from = id, "查询数据库");
    sleep(Duration::from_millis(5)).await;
    info!(from = id, "完成");
}
// ANCHOR_END: wrong

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .init();

    // ANCHOR: main
    // 两个请求在同一个任务里交替推进；biased 让它们按书写顺序被轮询。
    tokio::join!(biased; handle(1, 10), handle(2, 20));
    info!("两个请求都结束了");
    // ANCHOR_END: main
}
