//! 示例 6-16：线程可以有作用域，任务不行：Future 可以被 forget，析构函数不一定运行。

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::time::Instant;

// ANCHOR: guard
// 析构时打印一行：看得见析构函数有没有运行。
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        println!("  Guard 的析构函数运行了");
    }
}

async fn hold_guard() {
    let _guard = Guard;
    std::future::pending::<()>().await; // 永远停在这里
}
// ANCHOR_END: guard

// ANCHOR: thread_scope
fn thread_scope() {
    let words = ["scope", "borrow"];
    // scope 是同步函数：它返回之前，派生的线程一定都已结束，所以可以借用 words。
    let total = std::thread::scope(|s| {
        let handle = s.spawn(|| words.iter().map(|w| w.len()).sum::<usize>());
        handle.join().unwrap()
    });
    println!("thread::scope：字母共 {total} 个");
}
// ANCHOR_END: thread_scope

// ANCHOR: forget
fn poll_once(future: Pin<&mut impl Future<Output = ()>>) {
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(future.poll(&mut cx), Poll::Pending);
}

fn drop_or_forget() {
    println!("轮询一次后 drop：");
    let mut future = Box::pin(hold_guard());
    poll_once(future.as_mut());
    drop(future);

    println!("轮询一次后 forget：");
    let mut future = Box::pin(hold_guard());
    poll_once(future.as_mut());
    // mem::forget 是安全函数：Future 连同 Guard 一起被泄漏，析构函数永远不会运行。
    std::mem::forget(future);
    println!("  （什么也没有打印）");
}
// ANCHOR_END: forget

// ANCHOR: join
async fn count_chars(word: &str) -> usize {
    tokio::time::sleep(Duration::from_millis(100)).await;
    word.chars().count()
}

async fn borrow_without_spawn() {
    let words = ["异步".to_string(), "Rust".to_string(), "借用".to_string()];
    let start = Instant::now();
    // 不派生任务，而是在当前任务里并发地等待这些 Future：它们可以借用 words。
    let counts = futures::future::join_all(words.iter().map(|w| count_chars(w))).await;
    println!(
        "join_all：{counts:?}，用时 {} 毫秒（虚拟时间）",
        start.elapsed().as_millis()
    );
}
// ANCHOR_END: join

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    thread_scope();
    drop_or_forget();
    borrow_without_spawn().await;
}
