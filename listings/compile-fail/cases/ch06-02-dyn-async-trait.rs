//! 示例 6-2（无法编译）：含有 async fn 的 trait 不能做成 trait 对象。

use std::collections::HashMap;

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

struct EmptyStore;

impl Storage for EmptyStore {
    async fn get(&self, _key: &str) -> Option<String> {
        None
    }
}

#[tokio::main]
async fn main() {
    // ANCHOR: dyn
    // 想把不同的存储放进同一个 Vec，在运行时挑选：这需要 dyn Storage。
    let stores: Vec<Box<dyn Storage>> = vec![
        Box::new(MemoryStore {
            map: HashMap::new(),
        }),
        Box::new(EmptyStore),
    ];
    for store in &stores {
        println!("{:?}", store.get("lang").await);
    }
    // ANCHOR_END: dyn
}
