//! 示例 20-1：第一个 axum 服务：路由、处理函数、提取器与共享状态；
//! 同一个程序里用 hyper 的 HTTP/1 客户端经回环地址驱动它。
//!
//! 后面的示例用 `#[path]` 引入本文件，借用这里的客户端函数 `send`。

use std::error::Error;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::{TcpListener, TcpStream};

/// 示例里的错误一律装箱：客户端可能遇到 I/O、HTTP 协议和请求构造三种错误。
pub type BoxError = Box<dyn Error + Send + Sync>;

// ANCHOR: types
/// 客户端提交的新待办事项，例如 {"title": "写第 20 章"}。
#[derive(Deserialize)]
struct NewTodo {
    title: String,
}

/// 返回给客户端的待办事项。
#[derive(Clone, Serialize)]
struct Todo {
    id: u64,
    title: String,
    done: bool,
}

/// 所有处理函数共享的状态。axum 为每个请求克隆一份，所以里面放 Arc。
#[derive(Clone, Default)]
struct AppState {
    todos: Arc<Mutex<Vec<Todo>>>,
}
// ANCHOR_END: types

// ANCHOR: handlers
async fn health() -> &'static str {
    "ok"
}

/// 参数的类型决定从请求里取什么：State 取共享状态，Json 把请求体解析成 NewTodo。
async fn create_todo(
    State(state): State<AppState>,
    Json(new): Json<NewTodo>,
) -> (StatusCode, Json<Todo>) {
    // 标准库的 Mutex：锁只在这几行里持有，不跨过 .await（第 14 章）。
    let mut todos = state.todos.lock().unwrap();
    let todo = Todo {
        id: todos.len() as u64 + 1,
        title: new.title,
        done: false,
    };
    todos.push(todo.clone());
    (StatusCode::CREATED, Json(todo))
}

/// Path 把路径里的 {id} 解析成 u64；返回 Err 的那一支也是一个响应。
async fn get_todo(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<Todo>, StatusCode> {
    let todos = state.todos.lock().unwrap();
    let todo = todos.iter().find(|t| t.id == id).cloned();
    todo.map(Json).ok_or(StatusCode::NOT_FOUND)
}
// ANCHOR_END: handlers

// ANCHOR: router
fn app() -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/todos", post(create_todo))
        .route("/todos/{id}", get(get_todo))
        .with_state(AppState::default())
}
// ANCHOR_END: router

// ANCHOR: client
/// 发一个请求，返回状态码和响应体。每次新建一条 TCP 连接：简单，够示例用。
pub async fn send(
    addr: SocketAddr,
    request: Request<String>,
) -> Result<(StatusCode, String), BoxError> {
    let stream = TcpStream::connect(addr).await?;
    // handshake 交回两样东西：发请求用的句柄，和真正在套接字上读写的连接。
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // 连接是一个 Future，不轮询它就没有任何字节收发：派生成任务，让它自己跑。
    tokio::spawn(connection);

    let (mut parts, body) = request.into_parts();
    parts.headers.insert(HOST, addr.to_string().parse()?);
    let request = Request::from_parts(parts, Full::new(Bytes::from(body)));
    let response = sender.send_request(request).await?;
    let status = response.status();
    // 响应体是一个流：收齐全部数据帧，再转成文本。
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8(body.to_vec())?))
}

/// 带 JSON 请求体的请求。
pub fn json(method: &str, path: &str, body: &str) -> Request<String> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .unwrap()
}

/// 没有请求体的请求。
pub fn bare(method: &str, path: &str) -> Request<String> {
    Request::builder()
        .method(method)
        .uri(path)
        .body(String::new())
        .unwrap()
}
// ANCHOR_END: client

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    // 端口 0：由操作系统挑一个空闲端口，local_addr 告诉我们是哪个。
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // 服务器是一个派生出去的任务；主任务接着当客户端。
    tokio::spawn(async move { axum::serve(listener, app()).await });

    let plain_text = Request::post("/todos").body(r#"{"title":"x"}"#.to_string())?;
    let requests = [
        bare("GET", "/health"),
        json("POST", "/todos", r#"{"title":"写第 20 章"}"#),
        bare("GET", "/todos/1"),
        bare("GET", "/todos/2"),
        bare("GET", "/todos/abc"),
        json("POST", "/todos", r#"{"title": 42}"#),
        json("POST", "/todos", r#"{"title":"#),
        plain_text,
        bare("GET", "/nothing"),
        bare("DELETE", "/todos/1"),
    ];
    for request in requests {
        let mut line = format!("{} {} {}", request.method(), request.uri(), request.body());
        if !request.body().is_empty() && !request.headers().contains_key(CONTENT_TYPE) {
            line.push_str("（没有 Content-Type）");
        }
        let (status, body) = send(addr, request).await?;
        println!("{} → {status}", line.trim_end());
        if !body.is_empty() {
            println!("    {body}");
        }
    }
    Ok(())
}
// ANCHOR_END: main
