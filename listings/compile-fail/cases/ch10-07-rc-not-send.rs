//! 示例 10-7（无法编译）：tokio::spawn 要求 Future 是 Send，而 async move 块捕获了 Rc。

use std::rc::Rc;

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let data = Rc::new(vec![1, 2, 3]);

    // 块里没有任何 .await，照样无法编译：
    // 被捕获的 Rc 是 Future 的一部分，所以整个 Future 不是 Send。
    let handle = tokio::spawn(async move {
        println!("数据：{data:?}");
    });
    handle.await.unwrap();
    // ANCHOR_END: spawn
}
