use tokio::time::{Duration, sleep, timeout};

// 被丢弃时打印一行，让“取消”看得见。
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        println!("清理：Guard 被丢弃");
    }
}

// ANCHOR: steps
async fn two_steps() {
    let _guard = Guard;
    println!("第 1 步");
    sleep(Duration::from_secs(1)).await; // 取消只可能发生在挂起点，也就是这样的 .await 处
    println!("第 2 步");
}
// ANCHOR_END: steps

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    // 期限只有 500 ms：两步走不完，Future 在 sleep 处被丢弃，第 2 步永远不会运行。
    let result = timeout(Duration::from_millis(500), two_steps()).await;
    println!("结果：{result:?}");
    // ANCHOR_END: main
}
