use std::any::Any;
use std::num::ParseIntError;

use tokio::task::JoinHandle;

/// 取出 panic 载荷里的消息（与示例 8-8 相同）。
fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "（不是字符串的载荷）"
    }
}

// ANCHOR: job
/// 一个会失败的任务：解析端口号。
async fn load_port(text: &str) -> Result<u16, ParseIntError> {
    if text.is_empty() {
        panic!("配置为空"); // 程序的 bug：panic，而不是返回 Err
    }
    text.trim().parse()
}

fn spawn_job(text: &'static str) -> JoinHandle<Result<u16, ParseIntError>> {
    tokio::spawn(async move {
        println!("  任务：解析 {text:?}");
        // 块的返回类型由最后的 Ok::<_, ParseIntError> 写明，? 才知道把错误转换成什么。
        let port = load_port(text).await?;
        println!("  任务：得到端口 {port}");
        Ok::<_, ParseIntError>(port)
    })
}
// ANCHOR_END: job

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 示例 8-8 说过：默认的 panic 钩子会把消息写到标准错误。这里换上一个安静的钩子。
    std::panic::set_hook(Box::new(|_| {}));

    // ANCHOR: detached
    println!("丢弃句柄：");
    spawn_job("80x"); // 丢掉了句柄：任务照常运行，错误却没有人看；编译器不提醒
    tokio::task::yield_now().await; // 让任务运行完
    println!("  main：没有任何报告。Err 是任务的输出，没有人取，就随任务一起被丢弃了");
    // ANCHOR_END: detached

    // ANCHOR: awaited
    println!("等待句柄：");
    for text in ["8080", "80x", ""] {
        // JoinHandle<Result<u16, E>> 的输出是 Result<Result<u16, E>, JoinError>：两层。
        match spawn_job(text).await {
            Ok(Ok(port)) => println!("  main：任务成功，端口 {port}"),
            Ok(Err(e)) => println!("  main：任务返回错误：{e}"),
            Err(e) if e.is_panic() => {
                println!("  main：任务 panic：{}", message(&*e.into_panic()))
            }
            Err(e) => println!("  main：任务被取消：{e}"),
        }
    }
    // ANCHOR_END: awaited
}
