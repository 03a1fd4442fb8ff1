//! 示例 19-6：迷你 Redis 服务器。
//!
//! 运行：`cargo run --release --example ch19-06-server [地址]`，默认监听 127.0.0.1:6380
//! （不占用 Redis 的默认端口 6379）。用 Debian 的 redis-tools 试一试：
//! `redis-cli -p 6380 set hello world`、`redis-benchmark -p 6380 -t set,get -P 16 -q`。
//! 收到 SIGINT（Ctrl-C）或 SIGTERM：停止接受连接，关闭空闲的连接，以退出码 0 结束。

#[path = "ch19-05-connection.rs"]
#[allow(dead_code)]
mod connection;

use std::future::Future;
use std::io::{self, Write};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use connection::{Db, serve_connection};

/// 收到停止信号后，最多等连接这么久。
const DRAIN: Duration = Duration::from_secs(5);

/// 打印一行日志；写失败（读输出的一方已经走了）时不 panic。
fn log(line: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// SIGINT 或 SIGTERM 到达时完成。函数返回时登记就已完成（示例 16-2 的做法）。
#[cfg(unix)]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

// ANCHOR: main
fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:6380".to_string());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(serve(&addr));
    // 排空期限过后还没结束的连接，随运行时关闭而被丢弃（16.1.4 节）。
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}
// ANCHOR_END: main

// ANCHOR: serve
async fn serve(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let signal = shutdown_signal()?;
    log(format_args!("正在监听 {}", listener.local_addr()?));

    let db = Db::start();
    let shutdown = CancellationToken::new();
    let tracker = TaskTracker::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        log(format_args!("收到 {}", signal.await));
        stop.cancel();
    });

    loop {
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, _peer)) => {
                    // 回复已经按批写出，不需要 Nagle 算法再替我们攒小包。
                    let _ = socket.set_nodelay(true);
                    // 一个连接出错（对方重置、协议错误）只结束这个连接。
                    tracker.spawn(serve_connection(socket, db.clone(), shutdown.clone()));
                }
                Err(_) => sleep(Duration::from_millis(100)).await,
            },
        }
    }
    drop(listener);
    tracker.close();
    log(format_args!("停止接受新连接，关闭空闲的连接"));
    if timeout(DRAIN, tracker.wait()).await.is_err() {
        log(format_args!(
            "排空期限已到，放弃剩下的 {} 个连接",
            tracker.len()
        ));
    }
    log(format_args!("全部连接已结束，退出"));
    Ok(())
}
// ANCHOR_END: serve
