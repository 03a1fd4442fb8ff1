//! 示例 6-1：trait 中的 async fn。每个实现的 get 返回各自不同的 Future 类型。

use std::collections::HashMap;
use std::time::Duration;

// ANCHOR: trait
trait Storage {
    async fn get(&self, key: &str) -> Option<String>;
}

struct MemoryStore {
    map: HashMap<String, String>,
}

impl Storage for MemoryStore {
    async fn get(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }
}

struct RemoteStore {
    prefix: String,
}

impl Storage for RemoteStore {
    async fn get(&self, key: &str) -> Option<String> {
        // 模拟一次网络往返：跨过这个 .await 的局部变量都要存进 Future。
        let request = format!("{}/{key}", self.prefix);
        tokio::time::sleep(Duration::from_millis(30)).await;
        Some(format!("来自 {request} 的值"))
    }
}
// ANCHOR_END: trait

// ANCHOR: generic
// 泛型函数：编译器为每个 S 单独生成一份代码，S::get 的 Future 类型在编译时已知。
async fn show<S: Storage>(name: &str, store: &S, key: &str) {
    let future = store.get(key);
    println!("{name}: Future 占 {} 字节", size_of_val(&future));
    println!("{name}: {key} = {:?}", future.await);
}
// ANCHOR_END: generic

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let memory = MemoryStore {
        map: HashMap::from([("lang".to_string(), "Rust".to_string())]),
    };
    let remote = RemoteStore {
        prefix: "https://kv.example".to_string(),
    };
    show("MemoryStore", &memory, "lang").await;
    show("RemoteStore", &remote, "lang").await;
    // ANCHOR_END: main
}
