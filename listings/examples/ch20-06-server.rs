//! 示例 20-6：待办事项服务：axum + SQLite（sqlx），带超时、并发上限、请求体上限、
//! 请求日志和优雅退出。
//!
//! 运行：`cargo run --example ch20-06-server [地址 [数据库文件]]`，默认监听 127.0.0.1:3000；
//! 不给数据库文件时用一个临时文件，退出时删掉。日志级别由环境变量 LOG_LEVEL 决定：
//! 默认 info；debug 时每个请求记两行，还能看到 sqlx 执行的每一条 SQL。
//! 试一试：`curl -i -H 'Content-Type: application/json' -d '{"title":"写第 20 章"}' 127.0.0.1:3000/todos`
//! 收到 SIGINT（Ctrl-C）或 SIGTERM：停止接受连接，让在途的请求做完（最多 5 秒），以退出码 0 结束。

#[path = "ch20-05-layers.rs"]
#[allow(dead_code)]
mod layers;

use std::future::{Future, IntoFuture};
use std::io;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, Level, debug, info, info_span, warn};

use layers::api::{self, db};
use layers::{Limits, slow, with_limits};

/// 本服务的上限（示例 20-5）。
const LIMITS: Limits = Limits {
    timeout: Duration::from_secs(1),
    max_in_flight: 64,
    max_body_bytes: 16 * 1024,
};
/// 排空期限：收到停止信号后，最多等在途的请求这么久。
const DRAIN: Duration = Duration::from_secs(5);

/// 登记 SIGINT 和 SIGTERM，返回在其中任一个到达时完成的 Future（与示例 16-2 相同）。
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

// ANCHOR: database
/// 数据库放在一个文件里：不管连接池开关多少条连接，数据都在（示例 20-3）。
async fn open_database(path: &PathBuf) -> sqlx::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        // WAL：读不挡写，写不挡读；同一时刻仍只有一个写者，其余写者最多等 busy_timeout（默认 5 秒）。
        .journal_mode(SqliteJournalMode::Wal)
        // WAL 下的常见折中：掉电可能丢掉最后几次提交，但数据库不会损坏。
        .synchronous(SqliteSynchronous::Normal);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    db::create_schema(&pool).await?;
    Ok(pool)
}
// ANCHOR_END: database

// ANCHOR: log
/// 每个请求一个 span，处理函数里的日志都带上它。平常的请求记在 DEBUG 级别（LOG_LEVEL=debug 才看得到），
/// 超时（408）和服务器一侧的失败（5xx，包括减载的 503）记成 WARN：它们才需要有人看。
async fn log_request(request: Request, next: Next) -> Response {
    let span = info_span!("request", method = %request.method(), path = %request.uri().path());
    let started = Instant::now();
    span.in_scope(|| debug!("开始"));
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let elapsed_ms = started.elapsed().as_millis();
    span.in_scope(|| {
        if status == StatusCode::REQUEST_TIMEOUT || status.is_server_error() {
            warn!(status = status.as_u16(), elapsed_ms, "完成");
        } else {
            debug!(status = status.as_u16(), elapsed_ms, "完成");
        }
    });
    response
}
// ANCHOR_END: log

// ANCHOR: app
fn app(pool: SqlitePool) -> Router {
    let routes = api::router(pool).route("/slow/{ms}", get(slow));
    // 后加的层在外面：日志最外，看得到超时和过载变成的 408、503。
    with_limits(routes, LIMITS).layer(middleware::from_fn(log_request))
}
// ANCHOR_END: app

// ANCHOR: main
fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let db_file = args.next().map(PathBuf::from);
    let level = std::env::var("LOG_LEVEL")
        .ok()
        .and_then(|l| Level::from_str(&l).ok())
        .unwrap_or(Level::INFO);
    // 与第 18 章一样：不打印时间和颜色，写到标准输出。
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .with_writer(io::stdout)
        .init();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(run(&addr, db_file));
    // 排空期限到了仍没结束的连接任务，在这里随运行时一起被丢弃。
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}
// ANCHOR_END: main

// ANCHOR: run
async fn run(addr: &str, db_file: Option<PathBuf>) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let signal = shutdown_signal()?;
    let temporary = db_file.is_none();
    let path = db_file.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("ch20-todos-{}.sqlite", std::process::id()))
    });
    let pool = open_database(&path).await.map_err(io::Error::other)?;
    // 这一行以监听地址结尾：测试和压测从这里读出端口（端口写 0 时由操作系统挑选）。
    info!("正在监听 {}", listener.local_addr()?);

    let stop = CancellationToken::new();
    let token = stop.clone();
    tokio::spawn(async move {
        let name = signal.await;
        info!(
            "收到 {name}：停止接受新连接，最多等在途的请求 {} 秒",
            DRAIN.as_secs()
        );
        token.cancel();
    });

    let server = axum::serve(listener, app(pool.clone()))
        .with_graceful_shutdown(stop.clone().cancelled_owned())
        .into_future();
    // axum 的优雅退出会一直等到最后一条连接结束；排空期限要自己加。
    let deadline = async {
        stop.cancelled().await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        result = server => result?,
        () = deadline => warn!("排空期限已到：放弃剩下的连接"),
    }

    // 关闭连接池：它等借出的连接归还（最多等 1 秒），再删掉临时数据库（WAL 模式还有两个附属文件）。
    let _ = tokio::time::timeout(Duration::from_secs(1), pool.close()).await;
    if temporary {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
    info!("退出");
    Ok(())
}
// ANCHOR_END: run
