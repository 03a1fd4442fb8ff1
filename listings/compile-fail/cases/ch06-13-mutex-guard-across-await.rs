//! 示例 6-13（无法编译）：std::sync::MutexGuard 跨过 .await，任务的 Future 就不是 Send。

use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let hits = Arc::new(Mutex::new(0u32));
    let task_hits = Arc::clone(&hits);
    let handle = tokio::spawn(async move {
        let mut n = task_hits.lock().unwrap();
        *n += 1;
        // 此后不再用到 n，但它要到块的末尾才被丢弃，所以仍然跨过了这个 .await。
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("已记录一次访问");
    });
    handle.await.unwrap();
    // ANCHOR_END: spawn
    println!("{}", hits.lock().unwrap());
}
