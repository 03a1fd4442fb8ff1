//! 示例 11-5：同样依次派生 B、C、D，单线程运行时按先进先出运行，
//! 多线程运行时的 LIFO 槽却让最后派生的 D 先运行。

use std::sync::{Arc, Mutex};

use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinHandle;

// ANCHOR: spawn_three
/// 在一个任务里依次派生 B、C、D，每个任务运行时记下自己的名字。
async fn spawn_three(log: Arc<Mutex<Vec<&'static str>>>) -> Vec<JoinHandle<()>> {
    ["B", "C", "D"]
        .into_iter()
        .map(|name| {
            let log = log.clone();
            tokio::spawn(async move { log.lock().unwrap().push(name) })
        })
        .collect()
}

fn run_order(rt: Runtime) -> Vec<&'static str> {
    let log = Arc::new(Mutex::new(Vec::new()));
    rt.block_on(async {
        // spawn_three 本身也作为任务运行：在多线程运行时上，它运行在工作线程上
        let handles = tokio::spawn(spawn_three(log.clone())).await.unwrap();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    log.lock().unwrap().clone()
}
// ANCHOR_END: spawn_three

// ANCHOR: main
fn main() {
    let current = Builder::new_current_thread().build().unwrap();
    println!("单线程运行时：{:?}", run_order(current));
    // 只有一个工作线程，没有谁来窃取，顺序完全由这个线程的队列决定
    let multi = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    println!("多线程运行时：{:?}", run_order(multi));
}
// ANCHOR_END: main
