use std::future::Future;
use std::pin::pin;

use tokio::time::{Duration, Instant, sleep, timeout};

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("    析构 {}", self.0);
    }
}

// ANCHOR: my_timeout
/// 与 timeout(limit, fut) 行为相同的 select!：先轮询 fut，再轮询一个 Sleep。
async fn my_timeout<F: Future>(limit: Duration, fut: F) -> Result<F::Output, &'static str> {
    tokio::select! {
        biased; // Timeout::poll 也是先轮询内层 Future，再看计时器
        v = fut => Ok(v),
        () = sleep(limit) => Err("期限已到"),
    }
    // 无论哪个分支胜出，fut 和 Sleep 都在 select! 结束时被丢弃
}
// ANCHOR_END: my_timeout

// ANCHOR: cases
/// 要花 cost 这么长时间才完成的请求，持有一个会打印析构的资源。
async fn request(cost: Duration) -> &'static str {
    let _conn = Noisy("请求持有的连接");
    sleep(cost).await;
    "响应"
}

/// 从不让出的 Future：第一次被轮询就完成。
async fn no_yield() -> u64 {
    (1..=1000).sum()
}
// ANCHOR_END: cases

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let second = Duration::from_secs(1);
    println!("请求要 2 秒，期限 1 秒：");
    println!(
        "  timeout:    {:?}",
        timeout(second, request(2 * second)).await
    );
    println!(
        "  my_timeout: {:?}",
        my_timeout(second, request(2 * second)).await
    );

    println!("不让出的 Future，期限 0：");
    println!(
        "  timeout:    {:?}",
        timeout(Duration::ZERO, no_yield()).await
    );
    println!(
        "  my_timeout: {:?}",
        my_timeout(Duration::ZERO, no_yield()).await
    );
    // ANCHOR_END: main

    // ANCHOR: by_ref
    println!("只交出 &mut：超时之后接着等同一个 Future");
    let start = Instant::now();
    let mut req = pin!(request(3 * second));
    if timeout(second, &mut req).await.is_err() {
        println!("  {} 秒：还没好，先回复“处理中”", start.elapsed().as_secs());
    }
    let resp = req.await; // 进度还在：请求在第 3 秒完成，而不是第 4 秒
    println!("  {} 秒：{resp}", start.elapsed().as_secs());
    // ANCHOR_END: by_ref
}
