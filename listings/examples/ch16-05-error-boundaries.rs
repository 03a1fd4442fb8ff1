use anyhow::Context;

// ANCHOR: library
/// 一个“库”：调用者要按错误的种类做不同的决定，所以它的错误是一个枚举。
mod store {
    use std::io;
    use std::time::Duration;

    use tokio::time::{sleep, timeout};

    #[derive(Debug, thiserror::Error)]
    pub enum FetchError {
        #[error("键 {0:?} 不存在")]
        NotFound(String),
        #[error("后端在 {0:?} 内没有响应")]
        Timeout(Duration),
        // #[from]：? 把 io::Error 自动转换成这个变体，并把它记作 source()。
        #[error("读取记录失败")]
        Io(#[from] io::Error),
    }

    pub async fn fetch(key: &str) -> Result<String, FetchError> {
        const LIMIT: Duration = Duration::from_millis(100);
        let lookup = async {
            match key {
                "user:1" => Ok("Alice".to_string()),
                "user:2" => {
                    sleep(Duration::from_secs(1)).await; // 后端太慢
                    Ok("Bob".to_string())
                }
                "user:3" => Err(io::Error::new(io::ErrorKind::PermissionDenied, "权限不足"))?,
                _ => Err(FetchError::NotFound(key.to_string())),
            }
        };
        timeout(LIMIT, lookup)
            .await
            .map_err(|_| FetchError::Timeout(LIMIT))?
    }
}
// ANCHOR_END: library

use store::FetchError;

// ANCHOR: caller
/// 库的调用者按种类做决定：键不存在就用默认值，其他错误原样交上去。
async fn display_name(key: &str) -> Result<String, FetchError> {
    match store::fetch(key).await {
        Err(FetchError::NotFound(_)) => Ok("（匿名）".to_string()),
        other => other,
    }
}

/// 任务的边界：到这里，错误只需要被报告。anyhow 收下任何错误，再加上“在做什么”。
async fn handle(id: u32, key: &'static str) -> anyhow::Result<String> {
    let name = display_name(key)
        .await
        .with_context(|| format!("请求 {id}：读取 {key}"))?;
    Ok(format!("你好，{name}"))
}
// ANCHOR_END: caller

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> anyhow::Result<()> {
    let keys = [(1, "user:1"), (2, "user:2"), (3, "user:3"), (4, "user:9")];
    let handles: Vec<_> = keys
        .into_iter()
        .map(|(id, key)| (id, tokio::spawn(handle(id, key))))
        .collect();
    for (id, handle) in handles {
        // 外层的 ?：JoinError（任务 panic 或被取消）也是一个错误，交给 main 的调用者。
        match handle.await? {
            Ok(greeting) => println!("请求 {id}：{greeting}"),
            Err(e) => {
                // {:#} 把上下文和整条 source() 链接成一行。
                println!("请求 {id} 失败：{e:#}");
                // anyhow 记得原来的类型：需要时还能取回来做决定。
                if let Some(FetchError::Timeout(_)) = e.downcast_ref::<FetchError>() {
                    println!("  （超时是暂时的，可以重试）");
                }
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
