//! 示例 2-7：绑定到变量、却在某条路径上没有 .await 的 Future，
//! 函数体永远不会执行，而编译器不给任何警告。
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: bad
/// 每个请求都要记一条访问日志，被拒绝的请求也不例外（模拟一次 I/O）。
async fn log_request(id: u32) {
    sleep(Duration::from_millis(1)).await;
    println!("  访问日志：请求 {id}");
}

/// 坏做法（故意写错）：先构造日志的 Future，打算最后再 .await，
/// 提前返回的那条路径却把它忘了。
async fn handle(id: u32, authorized: bool) -> Result<(), String> {
    let log = log_request(id); // 只构造了 Future，日志还没有写
    if !authorized {
        return Err(format!("请求 {id} 被拒绝")); // log 在这里被丢弃，日志永远不会写
    }
    println!("  处理请求 {id}");
    log.await;
    Ok(())
}
// ANCHOR_END: bad

// ANCHOR: good
/// 改正：需要它发生，就在需要的地方立刻 .await。
async fn handle_fixed(id: u32, authorized: bool) -> Result<(), String> {
    log_request(id).await;
    if !authorized {
        return Err(format!("请求 {id} 被拒绝"));
    }
    println!("  处理请求 {id}");
    Ok(())
}
// ANCHOR_END: good

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    for (id, authorized) in [(1, true), (2, false)] {
        println!("handle({id}, {authorized})：");
        let result = handle(id, authorized).await;
        println!("  返回 {result:?}");
    }
    for (id, authorized) in [(1, true), (2, false)] {
        println!("handle_fixed({id}, {authorized})：");
        let result = handle_fixed(id, authorized).await;
        println!("  返回 {result:?}");
    }
}
// ANCHOR_END: main
