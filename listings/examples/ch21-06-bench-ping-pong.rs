//! 示例 21-6（基准测试）：两个线程之间来回传一条消息，对比两个任务之间来回传。
//!
//! 完整测量：`cargo run --release --example ch21-06-bench-ping-pong`
//! （`BOOK_BENCH=smoke` 时次数很少）。一次往返包含两次“等待—被唤醒”，
//! 也就是两次切换：线程之间是操作系统的上下文切换，任务之间是运行时的一次轮询。

#[path = "bench-support/rounds.rs"]
mod rounds;

use std::time::Instant;

// ANCHOR: threads
/// 两个线程用两条标准库通道来回传 `n` 次，返回每次往返的纳秒数。
fn threads(n: usize) -> f64 {
    let (to_pong, pong_rx) = std::sync::mpsc::channel::<usize>();
    let (to_ping, ping_rx) = std::sync::mpsc::channel::<usize>();
    let pong = std::thread::spawn(move || {
        for x in pong_rx {
            to_ping.send(x + 1).unwrap();
        }
    });
    let start = Instant::now();
    for i in 0..n {
        to_pong.send(i).unwrap();
        assert_eq!(ping_rx.recv().unwrap(), i + 1);
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    drop(to_pong);
    pong.join().unwrap();
    ns
}
// ANCHOR_END: threads

// ANCHOR: tokio
/// 两个 tokio 任务用两条容量为 1 的通道来回传 `n` 次。
async fn tokio_tasks(n: usize) -> f64 {
    let (to_pong, mut pong_rx) = tokio::sync::mpsc::channel::<usize>(1);
    let (to_ping, mut ping_rx) = tokio::sync::mpsc::channel::<usize>(1);
    let pong = tokio::spawn(async move {
        while let Some(x) = pong_rx.recv().await {
            to_ping.send(x + 1).await.unwrap();
        }
    });
    let ping = tokio::spawn(async move {
        let start = Instant::now();
        for i in 0..n {
            to_pong.send(i).await.unwrap();
            assert_eq!(ping_rx.recv().await.unwrap(), i + 1);
        }
        start.elapsed().as_nanos() as f64 / n as f64
    });
    let ns = ping.await.unwrap();
    pong.await.unwrap();
    ns
}
// ANCHOR_END: tokio

/// 两个 smol 任务（同一个执行器、同一个线程）用 async-channel 来回传 `n` 次。
async fn smol_tasks(ex: &smol::Executor<'_>, n: usize) -> f64 {
    let (to_pong, pong_rx) = async_channel::bounded::<usize>(1);
    let (to_ping, ping_rx) = async_channel::bounded::<usize>(1);
    let pong = ex.spawn(async move {
        while let Ok(x) = pong_rx.recv().await {
            to_ping.send(x + 1).await.unwrap();
        }
    });
    let ping = ex.spawn(async move {
        let start = Instant::now();
        for i in 0..n {
            to_pong.send(i).await.unwrap();
            assert_eq!(ping_rx.recv().await.unwrap(), i + 1);
        }
        start.elapsed().as_nanos() as f64 / n as f64
    });
    let ns = ping.await;
    pong.await;
    ns
}

// ANCHOR: main
fn main() {
    let (thread_n, task_n) = if rounds::full() {
        (5_000, 200_000)
    } else {
        (100, 1_000)
    };
    println!("# 一次往返的纳秒数");
    let ct = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // 多线程运行时：两个任务可能在不同的工作线程上，往返时要唤醒另一个线程。
    let mt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    let ex = smol::Executor::new();
    let names = ["thread", "tokio_ct", "tokio_mt", "smol"].map(|v| format!("ping_pong.{v}_ns"));
    // 四种方式逐轮交替，轮流先测。
    rounds::interleave(&names, |i| match i {
        0 => threads(thread_n),
        1 => ct.block_on(tokio_tasks(task_n)),
        2 => mt.block_on(tokio_tasks(task_n)),
        _ => smol::block_on(ex.run(smol_tasks(&ex, task_n))),
    });
}
// ANCHOR_END: main
