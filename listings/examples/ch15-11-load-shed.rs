//! 示例 15-11：满载时，poll_ready 让调用方等（背压）；套上 load_shed，满载就立即拒绝。
use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, sleep};
use tower::{BoxError, Service, ServiceBuilder, ServiceExt, service_fn};

// ANCHOR: drive
/// 一口气发 5 个请求：每个先等 ready()，再 call，响应交给任务去等。
async fn drive<S>(mut svc: S)
where
    S: Service<u32, Response = u32, Error = BoxError>,
    S::Future: Send + 'static,
{
    let start = Instant::now();
    let ms = move || start.elapsed().as_millis();
    let mut responses = JoinSet::new();
    for id in 1..=5 {
        let response = svc.ready().await.unwrap().call(id);
        println!("[{:>3} ms] 发出 #{id}", ms());
        responses.spawn(async move {
            match response.await {
                Ok(v) => println!("[{:>3} ms]   #{v} 完成", ms()),
                Err(e) => println!("[{:>3} ms]   #{id} 被拒绝：{e}", ms()),
            }
        });
    }
    responses.join_all().await;
}
// ANCHOR_END: drive

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // service_fn 把一个返回 Future 的闭包变成 Service：每个请求 100 毫秒。
    let backend = service_fn(|id: u32| async move {
        sleep(Duration::from_millis(100)).await;
        Ok::<_, BoxError>(id)
    });

    println!("== concurrency_limit(2)：满了就等 ==");
    drive(ServiceBuilder::new().concurrency_limit(2).service(backend)).await;

    println!("== load_shed + concurrency_limit(2)：满了就拒绝 ==");
    let shedding = ServiceBuilder::new()
        .load_shed() // 里层的 poll_ready 返回 Pending 时，它返回 Ready，call 直接回错误
        .concurrency_limit(2)
        .service(backend);
    drive(shedding).await;
}
// ANCHOR_END: main
