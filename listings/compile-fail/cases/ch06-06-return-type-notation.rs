//! 示例 6-6（无法编译）：返回类型记法（return type notation）在 Rust 1.95 上仍不稳定。

use std::sync::Arc;

trait Storage {
    async fn get(&self, key: &str) -> Option<String>;
}

// ANCHOR: rtn
// S::get(..) 指“S::get 返回的那个类型”，于是可以在调用处要求它是 Send。
fn spawn_lookup<S>(store: Arc<S>, key: String) -> tokio::task::JoinHandle<Option<String>>
where
    S: Storage + Send + Sync + 'static,
    S::get(..): Send,
{
    tokio::spawn(async move { store.get(&key).await })
}
// ANCHOR_END: rtn

struct EmptyStore;

impl Storage for EmptyStore {
    async fn get(&self, _key: &str) -> Option<String> {
        None
    }
}

#[tokio::main]
async fn main() {
    let value = spawn_lookup(Arc::new(EmptyStore), "lang".to_string()).await;
    println!("{value:?}");
}
