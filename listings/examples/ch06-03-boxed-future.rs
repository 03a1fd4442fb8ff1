//! 示例 6-3：绕过 E0038 的两种手写办法：返回装箱的 Future，或者用枚举分派。

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

struct MemoryStore {
    map: HashMap<String, String>,
}

struct RemoteStore {
    prefix: String,
}

// ANCHOR: inherent
// 真正的实现写成普通的 async 方法，下面两种分派方式都只是转发。
impl MemoryStore {
    async fn fetch(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }
}

impl RemoteStore {
    async fn fetch(&self, key: &str) -> Option<String> {
        let request = format!("{}/{key}", self.prefix);
        tokio::time::sleep(Duration::from_millis(30)).await;
        Some(format!("来自 {request} 的值"))
    }
}
// ANCHOR_END: inherent

// ANCHOR: boxed
// 与 futures::future::BoxFuture 相同的别名：一个指向堆上 Future 的胖指针。
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

trait DynStorage {
    // 返回类型对所有实现都一样，vtable 里就放得下这个方法。
    // 'a 表示返回的 Future 同时借用 self 和 key。
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<String>>;
}

impl DynStorage for MemoryStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<String>> {
        // 每次调用都在堆上分配一块，放下 fetch 的状态机。
        Box::pin(self.fetch(key))
    }
}

impl DynStorage for RemoteStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(self.fetch(key))
    }
}
// ANCHOR_END: boxed

// ANCHOR: enum
// 实现的集合是封闭的（都在本 crate 里）时，枚举也能“在运行时挑选”，而且不分配。
enum AnyStore {
    Memory(MemoryStore),
    Remote(RemoteStore),
}

impl AnyStore {
    async fn get(&self, key: &str) -> Option<String> {
        match self {
            AnyStore::Memory(s) => s.fetch(key).await,
            AnyStore::Remote(s) => s.fetch(key).await,
        }
    }
}
// ANCHOR_END: enum

fn memory() -> MemoryStore {
    MemoryStore {
        map: HashMap::from([("lang".to_string(), "Rust".to_string())]),
    }
}

fn remote() -> RemoteStore {
    RemoteStore {
        prefix: "https://kv.example".to_string(),
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let stores: Vec<Box<dyn DynStorage>> = vec![Box::new(memory()), Box::new(remote())];
    for store in &stores {
        let future = store.get("lang");
        // 不论哪个实现，调用者手里都只是一个胖指针；状态机本身在堆上。
        let size = size_of_val(&future);
        println!("dyn：Future 占 {size} 字节，{:?}", future.await);
    }

    let stores = [AnyStore::Memory(memory()), AnyStore::Remote(remote())];
    for store in &stores {
        let future = store.get("lang");
        // 枚举的 Future 要放得下最大的那个分支。
        let size = size_of_val(&future);
        println!("enum：Future 占 {size} 字节，{:?}", future.await);
    }
    // ANCHOR_END: main
}
