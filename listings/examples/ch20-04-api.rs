//! 示例 20-4：待办事项的 JSON 接口：处理函数建立在示例 20-2 的数据库函数之上；
//! 坏输入一律得到 4xx 和一个 JSON 对象 {"error": "…"}，不 panic，也不回一段英文纯文本。
//!
//! 示例 20-5 用 `#[path]` 引入本文件，服务器用的就是这里的路由。

#[path = "ch20-02-sqlx.rs"]
#[allow(dead_code)]
pub mod db;

#[path = "ch20-01-first-service.rs"]
#[allow(dead_code)]
pub mod first;

use std::error::Error as _;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use db::Todo;

/// 标题最多这么多个字符（按 Unicode 标量值数，不按字节）。
pub const MAX_TITLE_CHARS: usize = 100;

// ANCHOR: error
/// 处理函数能返回的全部错误。每一种对应一个状态码，响应体都是 {"error": "…"}。
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 请求没有被处理：状态码由拒绝它的那一步决定（400、413、415、422，以及示例 20-5 的 408、503）。
    #[error("{1}")]
    Rejected(StatusCode, String),
    #[error("待办事项 {0} 不存在")]
    NotFound(i64),
    #[error("没有这个路由：{0} {1}")]
    NoRoute(Method, Uri),
    #[error("{0} 不支持 {1} 方法")]
    MethodNotAllowed(Uri, Method),
    /// 数据库的错误：细节只进日志，不告诉客户端。
    #[error("服务器内部错误")]
    Database(#[from] sqlx::Error),
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Rejected(status, _) => *status,
            ApiError::NotFound(_) | ApiError::NoRoute(..) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(..) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Database(e) => {
                tracing::error!(error = %e, "数据库出错");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = ErrorBody {
            error: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}

/// 422：请求能解析，但内容不合要求。
fn unprocessable(message: String) -> ApiError {
    ApiError::Rejected(StatusCode::UNPROCESSABLE_ENTITY, message)
}
// ANCHOR_END: error

// ANCHOR: rejection
/// axum 的 Json 提取器失败时给出 JsonRejection；把它换成我们的错误，状态码沿用 axum 的。
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        // serde 的说明（哪个字段、第几行第几列）在 source() 里。
        let detail = rejection
            .source()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let message = match &rejection {
            JsonRejection::JsonDataError(_) => format!("JSON 的内容不合要求：{detail}"),
            JsonRejection::JsonSyntaxError(_) => format!("请求体不是合法的 JSON：{detail}"),
            JsonRejection::MissingJsonContentType(_) => {
                "请求头要写明 Content-Type: application/json".to_string()
            }
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => "请求体太大".to_string(),
            _ => format!("读不出请求体：{}", rejection.body_text()),
        };
        ApiError::Rejected(rejection.status(), message)
    }
}

/// 和 axum::Json 一样解析 JSON 请求体，失败时回 ApiError。
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(JsonBody(value))
    }
}

/// 路径里的 {id}：必须是正整数。
pub struct TodoId(pub i64);

impl<S> FromRequestParts<S> for TodoId
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::Rejected(e.status(), e.body_text()))?;
        match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(TodoId(id)),
            _ => Err(ApiError::Rejected(
                StatusCode::BAD_REQUEST,
                format!("路径里的编号“{raw}”不是正整数"),
            )),
        }
    }
}
// ANCHOR_END: rejection

// ANCHOR: validate
/// POST /todos 的请求体。deny_unknown_fields：拼错的字段名是错误，不被悄悄忽略。
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTodo {
    title: String,
}

impl NewTodo {
    /// 类型对了还不够：标题去掉首尾空白后不能为空，也不能太长。
    fn validated_title(&self) -> Result<&str, ApiError> {
        let title = self.title.trim();
        let chars = title.chars().count();
        if chars == 0 {
            return Err(unprocessable("title 不能为空".into()));
        }
        if chars > MAX_TITLE_CHARS {
            return Err(unprocessable(format!(
                "title 最多 {MAX_TITLE_CHARS} 个字符，收到 {chars} 个"
            )));
        }
        Ok(title)
    }
}

/// PATCH /todos/{id} 的请求体。
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateTodo {
    done: bool,
}
// ANCHOR_END: validate

// ANCHOR: handlers
async fn create(
    State(pool): State<SqlitePool>,
    JsonBody(new): JsonBody<NewTodo>,
) -> Result<(StatusCode, Json<Todo>), ApiError> {
    let todo = db::insert(&pool, new.validated_title()?).await?;
    Ok((StatusCode::CREATED, Json(todo)))
}

async fn show(State(pool): State<SqlitePool>, TodoId(id): TodoId) -> Result<Json<Todo>, ApiError> {
    let todo = db::get(&pool, id).await?;
    todo.map(Json).ok_or(ApiError::NotFound(id))
}

async fn list(State(pool): State<SqlitePool>) -> Result<Json<Vec<Todo>>, ApiError> {
    Ok(Json(db::list(&pool).await?))
}

/// 请求体的提取器必须是最后一个参数：它要消费整个请求。
async fn update(
    State(pool): State<SqlitePool>,
    TodoId(id): TodoId,
    JsonBody(change): JsonBody<UpdateTodo>,
) -> Result<Json<Todo>, ApiError> {
    let todo = db::set_done(&pool, id, change.done).await?;
    todo.map(Json).ok_or(ApiError::NotFound(id))
}

async fn remove(
    State(pool): State<SqlitePool>,
    TodoId(id): TodoId,
) -> Result<StatusCode, ApiError> {
    if db::delete(&pool, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(id))
    }
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::NoRoute(method, uri)
}

async fn wrong_method(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(uri, method)
}
// ANCHOR_END: handlers

// ANCHOR: router
pub fn router(pool: SqlitePool) -> Router {
    Router::new()
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", get(show).patch(update).delete(remove))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(pool)
}
// ANCHOR_END: router

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), first::BoxError> {
    use first::{bare, json, send};

    let pool = SqlitePool::connect("sqlite::memory:").await?;
    db::create_schema(&pool).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router(pool)).await });

    let long_title = format!(r#"{{"title":"{}"}}"#, "长".repeat(MAX_TITLE_CHARS + 1));
    let plain_text = axum::http::Request::post("/todos").body(r#"{"title":"x"}"#.to_string())?;
    let cases = [
        (
            "正常创建",
            json("POST", "/todos", r#"{"title":"  写第 20 章  "}"#),
        ),
        ("标题只有空白", json("POST", "/todos", r#"{"title":"   "}"#)),
        ("标题太长", json("POST", "/todos", &long_title)),
        ("类型不对", json("POST", "/todos", r#"{"title": 42}"#)),
        (
            "字段拼错",
            json("POST", "/todos", r#"{"titel":"写第 20 章"}"#),
        ),
        ("JSON 不完整", json("POST", "/todos", r#"{"title":"#)),
        ("没有 Content-Type", plain_text),
        ("编号不是数字", bare("GET", "/todos/abc")),
        ("编号不存在", bare("GET", "/todos/99")),
        ("标记完成", json("PATCH", "/todos/1", r#"{"done":true}"#)),
        ("删除", bare("DELETE", "/todos/1")),
        ("列出全部", bare("GET", "/todos")),
        ("没有这个路由", bare("GET", "/nothing")),
        ("方法不对", bare("PUT", "/todos")),
    ];
    for (what, request) in cases {
        let line = format!("{} {}", request.method(), request.uri());
        let (status, body) = send(addr, request).await?;
        println!("{what}：{line} → {status}");
        if !body.is_empty() {
            println!("    {body}");
        }
    }
    Ok(())
}
// ANCHOR_END: main
