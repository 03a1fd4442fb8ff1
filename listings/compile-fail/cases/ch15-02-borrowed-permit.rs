//! 示例 15-2（无法编译）：acquire 得到的许可借用着信号量，不能移进派生的任务。
use std::sync::Arc;

use tokio::sync::Semaphore;

// ANCHOR: main
#[tokio::main]
async fn main() {
    let semaphore = Arc::new(Semaphore::new(2));
    for id in 0..4 {
        // acquire 返回 SemaphorePermit<'_>：它借用 semaphore，
        // 而 tokio::spawn 要求 Future 是 'static 的。
        let permit = semaphore.acquire().await.unwrap();
        tokio::spawn(async move {
            println!("作业 {id}");
            drop(permit);
        });
    }
}
// ANCHOR_END: main
