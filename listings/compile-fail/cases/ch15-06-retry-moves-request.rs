//! 示例 15-6（无法编译）：请求体被第一次尝试拿走了，第二次尝试拿什么去发？
use std::future::Future;

async fn retry<T, E, F, Fut>(attempts: u32, mut op: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut result = op().await;
    for _ in 1..attempts {
        if result.is_ok() {
            break;
        }
        result = op().await;
    }
    result
}

async fn upload(body: Vec<u8>) -> Result<usize, String> {
    Ok(body.len())
}

// ANCHOR: main
#[tokio::main]
async fn main() {
    let body = vec![0u8; 1024];
    // async move 把 body 移进了这次尝试的 Future；闭包要被调用好几次，
    // 第二次调用时 body 已经不在闭包里了。
    let sent = retry(3, || async move { upload(body).await }).await;
    println!("{sent:?}");
}
// ANCHOR_END: main
