//! 示例 6-15：让不是 Send 的值在 .await 之前结束生命，任务的 Future 就是 Send。

use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn fetch_score(name: &str) -> u32 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    name.len() as u32
}

// ANCHOR: guard_fn
// 只在同步函数里加锁：守卫根本进不了任何 Future 的状态。
fn record_hit(hits: &Mutex<u32>) -> u32 {
    let mut n = hits.lock().unwrap();
    *n += 1;
    *n
}
// ANCHOR_END: guard_fn

// ANCHOR: consume
// 按值接收 Rc：调用之后 Rc 已经不在调用者手里了。
fn summarize(names: Rc<Vec<String>>) -> String {
    names.join("、")
}
// ANCHOR_END: consume

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: guard
    let hits = Arc::new(Mutex::new(0u32));
    let task_hits = Arc::clone(&hits);
    let handle = tokio::spawn(async move {
        // 办法一：用块限定守卫的作用域，块结束时守卫被丢弃、锁被释放。
        {
            let mut n = task_hits.lock().unwrap();
            *n += 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        // 办法二：把加锁放进同步函数。
        let n = record_hit(&task_hits);
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("任务里记录了 {n} 次访问");
    });
    handle.await.unwrap();
    // ANCHOR_END: guard

    // ANCHOR: rc
    let handle = tokio::spawn(async {
        // 用块把 Rc 关在 .await 之前，只把 .await 之后要用的、是 Send 的值带出来。
        let (count, name) = {
            let names = Rc::new(vec!["alice".to_string(), "bob".to_string()]);
            let first = Rc::clone(&names);
            (names.len(), first[0].clone())
        };
        let score = fetch_score(&name).await;
        println!("{count} 个名字，{name} 的分数是 {score}");

        // 从未被借用过的 Rc，在 .await 之前按值交出去（drop 也是按值交出）就够了。
        let names = Rc::new(vec!["carol".to_string(), "dave".to_string()]);
        let report = summarize(names);
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("报告：{report}");
    });
    handle.await.unwrap();
    // ANCHOR_END: rc

    // ANCHOR: async_mutex
    // 确实要在持锁期间 .await 时，用 tokio::sync::Mutex：它的守卫是 Send，
    // 等锁时也只挂起当前任务，不阻塞线程。
    let log = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let task_log = Arc::clone(&log);
    let handle = tokio::spawn(async move {
        let mut entries = task_log.lock().await;
        entries.push("开始写入");
        tokio::time::sleep(Duration::from_millis(10)).await;
        entries.push("写入完成");
    });
    handle.await.unwrap();
    println!("日志：{:?}", log.lock().await);
    // ANCHOR_END: async_mutex
}
