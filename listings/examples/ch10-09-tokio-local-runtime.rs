//! 示例 10-9：Tokio 1.51 起稳定的本地运行时，spawn_local 不再需要 LocalSet。

use std::rc::Rc;

// ANCHOR: main
// flavor = "local" 创建 LocalRuntime：只有一个线程，可以直接 spawn_local。
#[tokio::main(flavor = "local")]
async fn main() {
    let data = Rc::new(vec![1, 2, 3]);
    let handle = tokio::task::spawn_local(async move {
        tokio::task::yield_now().await;
        println!("本地运行时中的任务：{data:?}");
    });
    handle.await.unwrap();
}
// ANCHOR_END: main
