//! 示例 10-8：在 Tokio 中修复示例 10-7 的两种做法——LocalSet 与 Arc。

use std::rc::Rc;
use std::sync::Arc;

use tokio::task::{self, LocalSet};

// ANCHOR: local_set
/// 做法一：数据留在本线程，任务也留在本线程。
async fn with_local_set() {
    let local = LocalSet::new();
    // run_until 在当前线程上运行给定的 Future 以及其中 spawn_local 出来的任务。
    local
        .run_until(async {
            let data = Rc::new(vec![1, 2, 3]);
            // spawn_local 不要求 Send：任务永远不会离开这个线程。
            let handle = task::spawn_local(async move {
                task::yield_now().await;
                println!("LocalSet 中的任务：{data:?}");
            });
            handle.await.unwrap();
        })
        .await;
}
// ANCHOR_END: local_set

// ANCHOR: arc
/// 做法二：换成线程安全的 Arc，任务就可以交给任何工作线程。
async fn with_arc() {
    let data = Arc::new(vec![1, 2, 3]);
    let handle = tokio::spawn(async move {
        task::yield_now().await;
        println!("tokio::spawn 中的任务：{data:?}");
    });
    handle.await.unwrap();
}
// ANCHOR_END: arc

#[tokio::main(flavor = "current_thread")]
async fn main() {
    with_local_set().await;
    with_arc().await;
}
