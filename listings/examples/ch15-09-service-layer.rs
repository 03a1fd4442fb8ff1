//! 示例 15-9：手写一个 tower Service，再手写一个中间件（Layer 加 Service），用 ServiceBuilder 叠起来。
use std::convert::Infallible;
use std::fmt::Debug;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use tokio::time::{Duration, Instant, sleep};
use tower::{Layer, Service, ServiceBuilder, ServiceExt};

// ANCHOR: backend
/// 进程内的“后端”：把请求里的数翻倍，耗时 100 毫秒。
#[derive(Clone)]
struct Doubler;

impl Service<u32> for Doubler {
    type Response = u32;
    type Error = Infallible; // 这个后端不会失败
    type Future = BoxFuture<'static, Result<u32, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(())) // 没有容量限制：随时可以接下一个请求
    }

    fn call(&mut self, n: u32) -> Self::Future {
        // call 本身不等待：它立即返回一个 Future，活儿在 Future 被轮询时才做。
        Box::pin(async move {
            sleep(Duration::from_millis(100)).await;
            Ok(n * 2)
        })
    }
}
// ANCHOR_END: backend

// ANCHOR: layer
/// 中间件：包住任意一个 Service，记下每个请求进来和出去的时刻。
#[derive(Clone)]
struct Log<S> {
    inner: S,
    name: &'static str,
    start: Instant,
}

impl<S, Req> Service<Req> for Log<S>
where
    S: Service<Req>,
    S::Future: Send + 'static,
    S::Response: Debug,
    S::Error: Debug,
    Req: Debug,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        // 里层没准备好，这一层也没准备好：背压就这样一层层往外传。
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Req) -> Self::Future {
        let (name, start) = (self.name, self.start);
        println!("[{:>3} ms] {name} → {req:?}", start.elapsed().as_millis());
        let response = self.inner.call(req);
        Box::pin(async move {
            let result = response.await;
            println!(
                "[{:>3} ms] {name} ← {result:?}",
                start.elapsed().as_millis()
            );
            result
        })
    }
}

/// Layer：一个“把 S 包成 Log<S>”的工厂，ServiceBuilder 用它来叠中间件。
#[derive(Clone)]
struct LogLayer {
    name: &'static str,
    start: Instant,
}

impl<S> Layer<S> for LogLayer {
    type Service = Log<S>;

    fn layer(&self, inner: S) -> Log<S> {
        Log {
            inner,
            name: self.name,
            start: self.start,
        }
    }
}
// ANCHOR_END: layer

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    // 先加的层在外面：请求先经过“外层”，响应最后经过“外层”。
    let mut svc: Log<Log<Doubler>> = ServiceBuilder::new()
        .layer(LogLayer {
            name: "外层",
            start,
        })
        .layer(LogLayer {
            name: "内层",
            start,
        })
        .service(Doubler);

    // 约定：poll_ready 返回 Ready(Ok(())) 之后才能 call。ready() 就是“等到 poll_ready 就绪”。
    let a = svc.ready().await.unwrap().call(1);
    let b = svc.ready().await.unwrap().call(2);
    let (a, b) = tokio::join!(biased; a, b); // 两个请求同时在途；biased 让 a 先被轮询
    println!("a = {a:?}，b = {b:?}");

    // oneshot：等就绪、call、等响应，一步完成；它拿走服务本身。
    let c = svc.oneshot(3).await;
    println!("c = {c:?}");
}
// ANCHOR_END: main
