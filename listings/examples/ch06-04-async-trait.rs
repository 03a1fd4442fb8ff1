//! 示例 6-4：async-trait 宏把 async fn 改写成返回 Pin<Box<dyn Future + Send>> 的方法。

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;

// ANCHOR: trait
#[async_trait]
trait Storage {
    async fn get(&self, key: &str) -> Option<String>;
}

struct MemoryStore {
    map: HashMap<String, String>,
}

// 实现一侧也要写 #[async_trait]：宏要把方法体包进 Box::pin(async move { … })。
#[async_trait]
impl Storage for MemoryStore {
    async fn get(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }
}

struct RemoteStore {
    prefix: String,
}

#[async_trait]
impl Storage for RemoteStore {
    async fn get(&self, key: &str) -> Option<String> {
        let request = format!("{}/{key}", self.prefix);
        tokio::time::sleep(Duration::from_millis(30)).await;
        Some(format!("来自 {request} 的值"))
    }
}
// ANCHOR_END: trait

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    // 宏展开之后 trait 是 dyn 兼容的，不同的实现可以放进同一个 Vec。
    let stores: Vec<Box<dyn Storage>> = vec![
        Box::new(MemoryStore {
            map: HashMap::from([("lang".to_string(), "Rust".to_string())]),
        }),
        Box::new(RemoteStore {
            prefix: "https://kv.example".to_string(),
        }),
    ];
    for store in &stores {
        // 写出类型，让编译器替我们确认宏展开后的返回类型。
        let future: Pin<Box<dyn Future<Output = Option<String>> + Send + '_>> = store.get("lang");
        println!("{:?}", future.await);
    }
    // ANCHOR_END: main
}
