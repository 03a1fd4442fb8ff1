//! 示例 6-5（无法编译）：泛型代码不知道 trait 里 async fn 返回的 Future 是否 Send。

use std::sync::Arc;

trait Storage {
    async fn get(&self, key: &str) -> Option<String>;
}

// ANCHOR: spawn
// 对任意 S 在后台查询：S 本身满足 Send + Sync，
// 但 S::get 返回的 Future 是各个实现自己的类型，签名里没有说它是不是 Send。
fn spawn_lookup<S>(store: Arc<S>, key: String) -> tokio::task::JoinHandle<Option<String>>
where
    S: Storage + Send + Sync + 'static,
{
    tokio::spawn(async move { store.get(&key).await })
}
// ANCHOR_END: spawn

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
