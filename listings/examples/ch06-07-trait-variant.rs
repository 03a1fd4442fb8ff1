//! 示例 6-7：trait-variant 从一个 trait 生成两个版本：本地版和要求 Send 的版本。

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

// ANCHOR: make
// 生成 SendStorage：get 返回 impl Future<Output = Option<String>> + Send，
// 并且 SendStorage: Send。LocalStorage 保持原样。
#[trait_variant::make(SendStorage: Send)]
trait LocalStorage {
    async fn get(&self, key: &str) -> Option<String>;
}
// ANCHOR_END: make

// ANCHOR: impls
struct MemoryStore {
    map: HashMap<String, String>,
}

// 实现 Send 版本；宏生成的通用实现让 MemoryStore 自动也实现 LocalStorage。
impl SendStorage for MemoryStore {
    async fn get(&self, key: &str) -> Option<String> {
        tokio::time::sleep(Duration::from_millis(10)).await;
        self.map.get(key).cloned()
    }
}

// 字段是 Rc：CachedStore 既不是 Send 也不是 Sync，get 又跨过 .await 持有 Rc，
// 只能实现本地版本。
struct CachedStore {
    cache: Rc<HashMap<String, String>>,
}

impl LocalStorage for CachedStore {
    async fn get(&self, key: &str) -> Option<String> {
        let cache = Rc::clone(&self.cache);
        tokio::time::sleep(Duration::from_millis(10)).await;
        cache.get(key).cloned()
    }
}
// ANCHOR_END: impls

// ANCHOR: use
// 要派生任务的代码约束 SendStorage：编译器知道 get 的 Future 是 Send。
fn spawn_lookup<S>(store: Arc<S>, key: String) -> tokio::task::JoinHandle<Option<String>>
where
    S: SendStorage + Sync + 'static,
{
    tokio::spawn(async move { store.get(&key).await })
}

// 只在当前任务里 .await 的代码约束 LocalStorage：两种实现都能用。
async fn lookup_here<S: LocalStorage>(name: &str, store: &S) {
    println!("{name}（当前任务）：{:?}", store.get("lang").await);
}
// ANCHOR_END: use

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let map = HashMap::from([("lang".to_string(), "Rust".to_string())]);
    let memory = Arc::new(MemoryStore { map: map.clone() });
    let cached = CachedStore {
        cache: Rc::new(map),
    };

    let handle = spawn_lookup(Arc::clone(&memory), "lang".to_string());
    println!("MemoryStore（派生的任务）：{:?}", handle.await.unwrap());
    lookup_here("MemoryStore", memory.as_ref()).await;
    lookup_here("CachedStore", &cached).await;
    // ANCHOR_END: main
}
