//! 示例 21-5（基准测试）：创建并等待一个线程，对比创建并等待一个任务。
//!
//! 完整测量：`cargo run --release --example ch21-05-bench-spawn`
//! （`BOOK_BENCH=smoke` 时次数很少）。
//! 四种方式逐轮交替测量，见 `bench-support/rounds.rs`。

#[path = "bench-support/rounds.rs"]
mod rounds;

use std::hint::black_box;
use std::time::Instant;

/// 做 `n` 次 `f`，返回每次的纳秒数。
fn per_op(n: usize, f: impl FnOnce(usize)) -> f64 {
    let start = Instant::now();
    f(n);
    start.elapsed().as_nanos() as f64 / n as f64
}

// ANCHOR: main
fn main() {
    let (threads, tasks) = if rounds::full() {
        (2_000, 100_000)
    } else {
        (20, 1_000)
    };
    println!("# 创建并等待一次的纳秒数");
    let ct = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    let ex = smol::Executor::new();
    let names = ["thread", "tokio_ct", "tokio_mt", "smol"].map(|v| format!("spawn.{v}_ns"));
    // 四种方式逐轮交替，轮流先测。
    rounds::interleave(&names, |i| match i {
        0 => per_op(threads, |n| {
            for i in 0..n {
                std::thread::spawn(move || black_box(i)).join().unwrap();
            }
        }),
        1 => per_op(tasks, |n| {
            ct.block_on(async {
                for i in 0..n {
                    tokio::spawn(async move { black_box(i) }).await.unwrap();
                }
            })
        }),
        // 在工作线程上的任务里创建：新任务进入本线程的队列，这是服务器里的常见情形。
        2 => per_op(tasks, |n| {
            mt.block_on(mt.spawn(async move {
                for i in 0..n {
                    tokio::spawn(async move { black_box(i) }).await.unwrap();
                }
            }))
            .unwrap()
        }),
        _ => per_op(tasks, |n| {
            smol::block_on(ex.run(async {
                for i in 0..n {
                    ex.spawn(async move { black_box(i) }).await;
                }
            }))
        }),
    });
}
// ANCHOR_END: main
