use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::sleep;

// ANCHOR: log
tokio::task_local! {
    static REQUEST_ID: u64;
}

/// 日志函数不带 ID 参数：它从任务本地变量里读；不在任何请求里时写“-”。
fn log(msg: &str) {
    match REQUEST_ID.try_get() {
        Ok(id) => println!("[req-{id}] {msg}"),
        Err(_) => println!("[-]     {msg}"),
    }
}
// ANCHOR_END: log

// ANCHOR: carry
/// 派生一个任务，把当前的请求 ID 带过去（tokio::spawn 自己不带）。
fn spawn_in_context<F>(fut: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let id = REQUEST_ID.try_get().ok();
    tokio::spawn(async move {
        match id {
            Some(id) => REQUEST_ID.scope(id, fut).await,
            None => fut.await,
        }
    })
}

/// 阻塞线程池上的闭包是同步代码：用 sync_scope 建立作用域。
fn spawn_blocking_in_context<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let id = REQUEST_ID.try_get().ok();
    tokio::task::spawn_blocking(move || match id {
        Some(id) => REQUEST_ID.sync_scope(id, f),
        None => f(),
    })
}
// ANCHOR_END: carry

// ANCHOR: handle
async fn handle(body: &'static str) {
    log(&format!("收到 {body:?}"));
    sleep(Duration::from_millis(10)).await; // 跨过挂起点，ID 仍在
    tokio::spawn(async { log("审计（tokio::spawn）") })
        .await
        .unwrap();
    spawn_in_context(async { log("审计（spawn_in_context）") })
        .await
        .unwrap();
    spawn_blocking_in_context(|| log("写文件（spawn_blocking_in_context）"))
        .await
        .unwrap();
    log("回复");
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    log("服务器启动");
    // 服务器在派生处理请求的任务时建立作用域：请求里的每一层调用都读得到 ID。
    for (id, body) in [(1, "GET /a"), (2, "GET /b")] {
        tokio::spawn(REQUEST_ID.scope(id, handle(body)))
            .await
            .unwrap();
    }
    log("服务器停止");
}
// ANCHOR_END: handle
