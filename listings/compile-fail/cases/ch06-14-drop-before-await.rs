//! 示例 6-14（无法编译）：在 .await 之前 drop 守卫，编译器仍然认为它跨过了 .await。

use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let task_hits = Arc::clone(&hits);
    // ANCHOR: spawn
    let handle = tokio::spawn(async move {
        let mut n = task_hits.lock().unwrap();
        *n += 1; // 经由 DerefMut 借用了 n
        drop(n); // 锁在这里确实释放了……
        tokio::time::sleep(Duration::from_millis(10)).await; // ……但编译器仍把 n 算作跨过这里
        println!("已记录一次访问");
    });
    // ANCHOR_END: spawn
    handle.await.unwrap();
    println!("{}", hits.lock().unwrap());
}
