//! 示例 6-12（无法编译）：任务里自己创建的 Rc 跨过 .await 活着，任务的 Future 就不是 Send。

use std::rc::Rc;
use std::time::Duration;

async fn fetch_score(name: &str) -> u32 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    name.len() as u32
}

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let handle = tokio::spawn(async {
        // Rc 是在任务内部创建的，async 块没有从外面捕获任何东西。
        let names = Rc::new(vec!["alice".to_string(), "bob".to_string()]);
        let first = Rc::clone(&names);
        let score = fetch_score(&first[0]).await;
        println!("{} 个名字，{} 的分数是 {score}", names.len(), first[0]);
    });
    handle.await.unwrap();
    // ANCHOR_END: spawn
}
