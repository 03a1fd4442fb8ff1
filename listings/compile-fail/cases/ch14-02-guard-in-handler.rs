//! 示例 14-2（无法编译）：请求处理函数拿着计数表的守卫去写响应。

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: handler
type Db = Arc<Mutex<HashMap<String, u64>>>;

async fn write_response(path: &str, hits: u64) {
    // 代表把响应写回套接字：要等待网络。
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("{path}：第 {hits} 次访问");
}

async fn handle(db: Db, path: String) {
    let mut map = db.lock().unwrap();
    let hits = map.entry(path.clone()).or_insert(0);
    *hits += 1;
    // 守卫 map 还活着：写响应的整个期间，别的请求都拿不到这把锁。
    write_response(&path, *hits).await;
}
// ANCHOR_END: handler

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let db = Db::default();
    for path in ["/", "/api/orders"] {
        tokio::spawn(handle(db.clone(), path.to_string()));
    }
    // ANCHOR_END: spawn
}
