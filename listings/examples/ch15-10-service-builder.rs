//! 示例 15-10：用 ServiceBuilder 把限流、重试、并发上限、超时叠在一个进程内的服务外面。
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, Sleep, sleep};
use tower::retry::Policy;
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};

fn log(start: Instant, msg: impl fmt::Display) {
    println!("[{:>4} ms] {msg}", start.elapsed().as_millis());
}

// ANCHOR: backend
#[derive(Debug, Clone)]
struct Request {
    id: u32,
    attempt: u32, // 第几次尝试：重试策略每重试一次就改它
}

#[derive(Debug)]
enum BackendError {
    Unavailable, // 503：暂时不可用，可以重试
}

/// 进程内的后端：一般请求 100 毫秒；#5 要 1 秒；#3 所在的分片 200 毫秒时才恢复。
#[derive(Clone)]
struct Backend {
    start: Instant,
    in_flight: Arc<AtomicUsize>,
}

/// 记录在途数；Future 没做完就被丢弃（比如超时）时，析构函数把这件事说出来。
struct Attempt {
    backend: Backend,
    id: u32,
    done: bool,
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.backend.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !self.done {
            log(
                self.backend.start,
                format!("    后端：#{} 没做完就被丢弃", self.id),
            );
        }
    }
}

impl Service<Request> for Backend {
    type Response = String;
    type Error = BackendError;
    type Future = BoxFuture<'static, Result<String, BackendError>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BackendError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let n = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        let began = self.start.elapsed();
        log(
            self.start,
            format!(
                "    后端：开始 #{}（第 {} 次），在途 {n} 个",
                req.id, req.attempt
            ),
        );
        let attempt = Attempt {
            backend: self.clone(),
            id: req.id,
            done: false,
        };
        Box::pin(async move {
            let mut attempt = attempt; // 整个移进来：它随这个 Future 一起活、一起被丢弃
            let cost = if req.id == 5 { 1000 } else { 100 };
            sleep(Duration::from_millis(cost)).await;
            attempt.done = true;
            if req.id == 3 && began < Duration::from_millis(200) {
                log(attempt.backend.start, "    后端：#3 回复 503");
                Err(BackendError::Unavailable)
            } else {
                Ok(format!("结果 {}", req.id))
            }
        })
    }
}
// ANCHOR_END: backend

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("503 暂时不可用")
    }
}

impl std::error::Error for BackendError {}

// ANCHOR: policy
/// 只重试 503，最多重试 max 次，退避从 backoff 开始每次翻倍。
/// Retry 为每个请求克隆一份策略，所以计数是每个请求各自的。
#[derive(Clone)]
struct RetryUnavailable {
    retries_left: u32,
    backoff: Duration,
}

impl Policy<Request, String, BoxError> for RetryUnavailable {
    type Future = Sleep;

    fn retry(
        &mut self,
        req: &mut Request,
        result: &mut Result<String, BoxError>,
    ) -> Option<Self::Future> {
        let Err(e) = result else { return None }; // 成功：不重试
        // 超时（tower::timeout::error::Elapsed）不重试：后端可能已经做了这件事。
        if !e.is::<BackendError>() || self.retries_left == 0 {
            return None;
        }
        self.retries_left -= 1;
        req.attempt += 1; // 0.5 起拿到的是 &mut Req：可以改下一次发出的请求
        let wait = self.backoff;
        self.backoff *= 2;
        Some(sleep(wait))
    }

    fn clone_request(&mut self, req: &Request) -> Option<Request> {
        Some(req.clone()) // 返回 None 表示这个请求不能重试（比如请求体是一次性的流）
    }
}
// ANCHOR_END: policy

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let backend = Backend {
        start,
        in_flight: Arc::new(AtomicUsize::new(0)),
    };
    // 先加的层在外面。请求依次经过：限流 → 重试 → 并发上限 → 超时 → 后端。
    let mut svc = ServiceBuilder::new()
        .rate_limit(4, Duration::from_secs(1)) // 每秒最多放进 4 个新请求
        .retry(RetryUnavailable {
            retries_left: 2,
            backoff: Duration::from_millis(50),
        })
        .concurrency_limit(2) // 每次尝试占一个名额，退避期间不占
        .timeout(Duration::from_millis(300)) // 每次尝试最多 300 毫秒
        .service(backend);

    let mut responses = JoinSet::new();
    for id in 1..=6 {
        // ready() 在这里等：等限流放行、等并发名额空出来。这就是背压。
        let response = svc.ready().await.unwrap().call(Request { id, attempt: 1 });
        log(start, format!("客户端：发出 #{id}"));
        // 响应 Future 交给一个任务去等，发请求的循环不被它挡住。
        responses.spawn(async move {
            match response.await {
                Ok(body) => log(start, format!("客户端：#{id} → {body}")),
                Err(e) => log(start, format!("客户端：#{id} → 错误：{e}")),
            }
        });
    }
    responses.join_all().await;
}
// ANCHOR_END: main
