//! 示例 10-7（无法编译）：tokio::spawn 要求 Future 是 Send，而它跨过 .await 持有 Rc。

use std::rc::Rc;

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let data = Rc::new(vec![1, 2, 3]);

    let handle = tokio::spawn(async move {
        // 任务可能在这里暂停，之后在另一个工作线程上继续，Rc 也就跟着换了线程。
        tokio::task::yield_now().await;
        println!("数据：{data:?}");
    });
    handle.await.unwrap();
    // ANCHOR_END: spawn
}
