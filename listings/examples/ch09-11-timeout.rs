use tokio::time::{Duration, Instant, timeout};

// 模拟一次网络请求：虚拟地等待 delay 之后返回数据。
async fn fetch_data(delay: Duration) -> String {
    tokio::time::sleep(delay).await;
    format!("用了 {} 秒的数据", delay.as_secs())
}

// ANCHOR: timeout
async fn with_timeout(delay: Duration) -> Result<String, &'static str> {
    match timeout(Duration::from_secs(5), fetch_data(delay)).await {
        Ok(data) => Ok(data),
        // Err 是 tokio::time::error::Elapsed：期限已到，fetch_data 已被丢弃。
        Err(_elapsed) => Err("超时"),
    }
}
// ANCHOR_END: timeout

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    for secs in [1, 10] {
        let start = Instant::now();
        let result = with_timeout(Duration::from_secs(secs)).await;
        println!(
            "请求耗时 {secs} 秒：{result:?}，虚拟时间过去 {} 秒",
            start.elapsed().as_secs()
        );
    }
    // ANCHOR_END: main
}
