//! 示例 20-5：超时、并发上限与请求体上限：把第 15 章的 tower 层套在 axum 的路由上。
//!
//! 示例 20-6（服务器）用 `#[path]` 引入本文件的 `with_limits` 和 `slow`。

#[path = "ch20-04-api.rs"]
#[allow(dead_code)]
pub mod api;

use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{BoxError, Json, Router};
use serde::Serialize;
use sqlx::SqlitePool;
use tokio::sync::Notify;
use tower::ServiceBuilder;
use tower::limit::{ConcurrencyLimitLayer, GlobalConcurrencyLimitLayer};
use tower::load_shed::error::Overloaded;
use tower::timeout::error::Elapsed;

use api::ApiError;
use api::first::{bare, json, send};

// ANCHOR: limits
/// 服务的三个上限。
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// 一个请求最多处理这么久，超过就回 408。
    pub timeout: Duration,
    /// 同时最多处理这么多个请求，再来的立即回 503。
    pub max_in_flight: usize,
    /// 请求体最多这么多字节，超过就回 413。
    pub max_body_bytes: usize,
}

pub fn with_limits(router: Router, limits: Limits) -> Router {
    let middleware = ServiceBuilder::new()
        // 下面的层用“错误”报告超时和过载，axum 却要求路由永不出错（Error = Infallible）：
        // HandleErrorLayer 把错误变回一个响应。
        .layer(HandleErrorLayer::new(limit_error))
        // 满了就拒绝，不排队（第 15 章的 load_shed）。
        .load_shed()
        // 全部路由共用一个信号量。
        .layer(GlobalConcurrencyLimitLayer::new(limits.max_in_flight))
        // 最里层：只计处理请求的时间。
        .timeout(limits.timeout);
    router
        .layer(middleware)
        // 它自己不拒绝请求：只告诉 Json 这类提取器最多读多少字节。
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
}

async fn limit_error(err: BoxError) -> ApiError {
    let (status, message) = if err.is::<Elapsed>() {
        (StatusCode::REQUEST_TIMEOUT, "请求处理超时")
    } else if err.is::<Overloaded>() {
        (StatusCode::SERVICE_UNAVAILABLE, "服务器正忙，请稍后再试")
    } else {
        tracing::error!(error = %err, "中间件出错");
        (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误")
    };
    ApiError::Rejected(status, message.to_string())
}
// ANCHOR_END: limits

// ANCHOR: slow
#[derive(Serialize)]
pub struct Slept {
    slept_ms: u64,
}

/// 只为演示和测试超时而设的路由：睡 ms 毫秒（最多 60 秒）再回复。
pub async fn slow(Path(ms): Path<String>) -> Result<Json<Slept>, ApiError> {
    let Ok(ms) = ms.parse::<u64>() else {
        let message = format!("“{ms}”不是毫秒数");
        return Err(ApiError::Rejected(StatusCode::BAD_REQUEST, message));
    };
    let ms = ms.min(60_000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(Json(Slept { slept_ms: ms }))
}
// ANCHOR_END: slow

/// 示例里的一道门：/hold 的处理函数进门时说一声，然后等人放行。
/// 有了它，“一个请求正在处理时再来一个”就不靠计时，每次运行都一样。
#[derive(Default)]
struct Gate {
    entered: Notify,
    release: Notify,
}

async fn hold(State(gate): State<Arc<Gate>>) -> &'static str {
    gate.entered.notify_one();
    gate.release.notified().await;
    "放行了"
}

fn demo_routes(pool: SqlitePool, gate: Arc<Gate>) -> Router {
    let extra = Router::new()
        .route("/hold", get(hold))
        .route("/slow/{ms}", get(slow))
        .with_state(gate);
    api::router(pool).merge(extra)
}

/// 派生一个服务器，返回它的地址。
async fn start(app: Router) -> std::io::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

fn print(line: &str, status: StatusCode, body: &str) {
    println!("  {line} → {status}");
    if !body.is_empty() {
        println!("      {body}");
    }
}

// ANCHOR: per_route
/// /hold 在途时，再发几个请求，看哪些被拒绝。
async fn while_holding(app: Router, gate: Arc<Gate>) -> Result<(), api::first::BoxError> {
    let addr = start(app).await?;
    let holder = tokio::spawn(send(addr, bare("GET", "/hold")));
    gate.entered.notified().await;
    for path in ["/hold", "/todos"] {
        let (status, body) = send(addr, bare("GET", path)).await?;
        print(&format!("/hold 在途时，GET {path}"), status, &body);
    }
    gate.release.notify_one();
    let (status, body) = holder.await??;
    print("在途的 GET /hold", status, &body);
    Ok(())
}
// ANCHOR_END: per_route

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), api::first::BoxError> {
    let pool = SqlitePool::connect("sqlite::memory:").await?;
    api::db::create_schema(&pool).await?;
    let gate = Arc::new(Gate::default());

    println!("ConcurrencyLimitLayer::new(1)，经 Router::layer：");
    let app = demo_routes(pool.clone(), gate.clone()).layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(limit_error))
            .load_shed()
            .layer(ConcurrencyLimitLayer::new(1)),
    );
    while_holding(app, gate.clone()).await?;

    println!("GlobalConcurrencyLimitLayer::new(1)，经 Router::layer：");
    let app = demo_routes(pool.clone(), gate.clone()).layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(limit_error))
            .load_shed()
            .layer(GlobalConcurrencyLimitLayer::new(1)),
    );
    while_holding(app, gate.clone()).await?;

    let limits = Limits {
        timeout: Duration::from_millis(200),
        max_in_flight: 64,
        max_body_bytes: 1024,
    };
    println!("with_limits({limits:?})：");
    let addr = start(with_limits(demo_routes(pool, gate), limits)).await?;
    let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(2000));
    let requests = [
        bare("GET", "/slow/50"),
        bare("GET", "/slow/1000"),
        json("POST", "/todos", &big),
        json("POST", "/todos", r#"{"title":"请求体不大"}"#),
    ];
    for request in requests {
        let line = format!("{} {}", request.method(), request.uri());
        let (status, body) = send(addr, request).await?;
        print(&line, status, &body);
    }
    Ok(())
}
// ANCHOR_END: main
