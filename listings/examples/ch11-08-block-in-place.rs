//! 示例 11-8：在工作线程上阻塞，LIFO 槽里的任务被困住；
//! block_in_place 先把它挪进本地队列，再把整个工作线程的队列交给另一个线程。

use std::sync::mpsc;
use std::time::Duration;

// ANCHOR: wait_for_helper
/// 派生一个辅助任务（它进入这个工作线程的 LIFO 槽），然后阻塞地等它发来的信号。
async fn wait_for_helper(in_place: bool) -> &'static str {
    let (tx, rx) = mpsc::channel();
    let helper = tokio::spawn(async move { tx.send(()).unwrap() });
    let outcome = if in_place {
        // 放宽到 5 秒：辅助任务只要能运行，几乎立刻就会发来信号
        tokio::task::block_in_place(|| rx.recv_timeout(Duration::from_secs(5)))
    } else {
        // 示范坏做法：直接在工作线程上阻塞
        rx.recv_timeout(Duration::from_millis(200))
    };
    helper.await.unwrap();
    match outcome {
        Ok(()) => "等到了辅助任务的信号",
        Err(_) => "200 ms 内没等到：辅助任务困在 LIFO 槽里",
    }
}
// ANCHOR_END: wait_for_helper

// ANCHOR: main
// 两个工作线程：另一个一直空闲，也偷不走 LIFO 槽里的任务
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let blocked = tokio::spawn(wait_for_helper(false)).await.unwrap();
    println!("直接阻塞：{blocked}");
    let in_place = tokio::spawn(wait_for_helper(true)).await.unwrap();
    println!("block_in_place：{in_place}");
}
// ANCHOR_END: main
