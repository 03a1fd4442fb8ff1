//! 示例 2-6（无法编译）：构造出 Future 就丢掉的语句，会触发 unused_must_use。
//! 这个 lint 默认只是警告；本书的检查把警告当作错误（`-D warnings`），
//! 这里用 `deny` 在这一个文件里做同样的事，报错的正文就是那条警告。
#![deny(unused_must_use)]

async fn log_request(id: u32) {
    println!("  访问日志：请求 {id}");
}

// ANCHOR: discard
async fn handle(id: u32) {
    log_request(id); // 忘了 .await：Future 被构造出来，又立刻被丢弃
    println!("  处理请求 {id}");
}
// ANCHOR_END: discard

#[tokio::main(flavor = "current_thread")]
async fn main() {
    handle(1).await;
}
