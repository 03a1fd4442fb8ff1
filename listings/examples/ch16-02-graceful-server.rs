//! 示例 16-2：会优雅退出的服务器。
//!
//! 运行：`cargo run --example ch16-02-graceful-server [地址]`，默认监听 127.0.0.1:8080。
//! 协议：客户端发一行，服务器处理 300 ms 后回一行“完成：…”。
//! 收到 SIGINT（Ctrl-C）或 SIGTERM：停止接受连接，让在途的请求做完（最多 5 秒），以退出码 0 结束。

use std::future::Future;
use std::io::{self, Write};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// 处理一个请求要花的时间。
const WORK: Duration = Duration::from_millis(300);
/// 排空期限：收到停止信号后，最多等在途的连接这么久。
const DRAIN: Duration = Duration::from_secs(5);
/// 强制取消之后，再给收尾留的时间。
const CLEANUP: Duration = Duration::from_secs(1);

/// 打印一行日志。写失败（例如读输出的一方已经关掉了管道）时不 panic：
/// 退出路径上的日志不值得让进程以错误结束。
fn log(line: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

// ANCHOR: signal
/// 登记 SIGINT（Ctrl-C）和 SIGTERM 的处理，返回一个在其中任一个到达时完成的 Future。
/// 这个函数返回时登记就已完成：之后到达的信号一定会被接住。
#[cfg(unix)]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    // signal() 在调用时就登记，替换进程继承来的处理方式（包括“忽略”）。
    // ctrl_c() 在 Unix 上登记的也是 SIGINT，但要等它第一次被轮询。
    let mut interrupt = signal(SignalKind::interrupt())?;
    // SIGTERM：kill 的默认信号，服务管理器停止服务时通常也发它。
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    })
}

/// 不是 Unix 的平台只有 Ctrl-C。
#[cfg(not(unix))]
fn shutdown_signal() -> io::Result<impl Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}
// ANCHOR_END: signal

// ANCHOR: main
fn main() -> io::Result<()> {
    // 第一个命令行参数是监听地址；端口写 0 时由操作系统挑一个空闲端口。
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(serve(&addr));
    // 最后一步：关闭运行时。异步任务此时都已结束；万一还有阻塞闭包没有返回，
    // 最多再等 1 秒（直接丢弃运行时会一直等下去）。
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}
// ANCHOR_END: main

// ANCHOR: serve
async fn serve(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let signal = shutdown_signal()?;
    // 先登记信号，再宣布“正在监听”；打印真正绑定的地址（端口 0 时才知道是哪个）。
    log(format_args!("正在监听 {}", listener.local_addr()?));

    let force = CancellationToken::new(); // 第二级：放弃在途的请求
    let graceful = force.child_token(); // 第一级：停止接受，空闲连接关闭
    let tracker = TaskTracker::new();

    // 等信号的是一个单独的任务：它只取消第一级令牌。别的理由（管理接口、
    // 致命错误）要停止服务，也只需要取消这个令牌。
    let stop = graceful.clone();
    tokio::spawn(async move {
        let name = signal.await;
        log(format_args!("收到 {name}"));
        stop.cancel();
    });

    let mut next_id = 0u64;
    loop {
        tokio::select! {
            biased;
            _ = graceful.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, _peer)) => {
                    next_id += 1;
                    let conn = connection(next_id, socket, graceful.clone(), force.clone());
                    tracker.spawn(conn);
                }
                // accept 失败（例如文件描述符用尽）不结束服务器：稍等再试。
                Err(_) => sleep(Duration::from_millis(100)).await,
            },
        }
    }
    // 关闭监听套接字：此后的连接请求被操作系统拒绝。
    drop(listener);
    tracker.close();
    log(format_args!(
        "停止接受新连接：等待在途的请求，最多 {} 秒",
        DRAIN.as_secs()
    ));

    if timeout(DRAIN, tracker.wait()).await.is_err() {
        log(format_args!(
            "排空期限已到：强制取消剩下的 {} 个连接",
            tracker.len()
        ));
        force.cancel();
        let _ = timeout(CLEANUP, tracker.wait()).await;
    }
    log(format_args!("全部连接已结束，退出"));
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: connection
async fn connection(
    id: u64,
    socket: TcpStream,
    graceful: CancellationToken,
    force: CancellationToken,
) {
    let (reader, mut writer) = socket.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        // 等下一个请求时，停止信号直接结束连接。next_line 是取消安全的：
        // 它输掉 select! 时，已经读进缓冲区的字节不会丢。
        let line = tokio::select! {
            biased;
            _ = graceful.cancelled() => break,
            line = lines.next_line() => match line {
                Ok(Some(line)) => line,
                _ => break, // 对方关闭了连接，或者连接出错
            },
        };
        log(format_args!("连接 {id}：收到请求 {line:?}"));
        // 请求一旦开始，只有第二级令牌（排空期限）能打断它。
        let answered = force
            .run_until_cancelled(async {
                sleep(WORK).await; // 模拟耗时的处理
                writer.write_all(format!("完成：{line}\n").as_bytes()).await
            })
            .await;
        match answered {
            Some(Ok(())) => log(format_args!("连接 {id}：已回复")),
            Some(Err(_)) => break,
            None => {
                log(format_args!("连接 {id}：请求被强制取消"));
                break;
            }
        }
    }
    // writer 和 lines 在这里被丢弃，连接随之关闭。
}
// ANCHOR_END: connection
