//! 示例 21-5（基准测试）：创建并等待一个线程，对比创建并等待一个任务。
//!
//! 完整测量：`cargo run --release --example ch21-05-bench-spawn`
//! （`BOOK_BENCH=smoke` 时次数很少）。

use std::hint::black_box;
use std::time::Instant;

fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// 把 `f` 重复 `rounds` 轮，每轮做 `n` 次，返回每次的纳秒数（各轮的中位数）。
fn per_op(rounds: usize, n: usize, mut f: impl FnMut(usize)) -> f64 {
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                f(n);
                start.elapsed().as_nanos() as f64 / n as f64
            })
            .collect(),
    )
}

// ANCHOR: main
fn main() {
    let (threads, tasks, rounds) = if full() {
        (2_000, 100_000, 5)
    } else {
        (20, 1_000, 1)
    };
    println!("# 创建并等待一次的纳秒数，{rounds} 轮取中位数");

    let thread = per_op(rounds, threads, |n| {
        for i in 0..n {
            std::thread::spawn(move || black_box(i)).join().unwrap();
        }
    });
    println!("spawn.thread_ns = {thread:.1}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let tokio_ct = per_op(rounds, tasks, |n| {
        rt.block_on(async {
            for i in 0..n {
                tokio::spawn(async move { black_box(i) }).await.unwrap();
            }
        })
    });
    println!("spawn.tokio_ct_ns = {tokio_ct:.1}");

    let rt = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    let tokio_mt = per_op(rounds, tasks, |n| {
        // 在工作线程上的任务里创建：新任务进入本线程的队列，这是服务器里的常见情形。
        rt.block_on(rt.spawn(async move {
            for i in 0..n {
                tokio::spawn(async move { black_box(i) }).await.unwrap();
            }
        }))
        .unwrap()
    });
    println!("spawn.tokio_mt_ns = {tokio_mt:.1}");

    let ex = smol::Executor::new();
    let smol = per_op(rounds, tasks, |n| {
        smol::block_on(ex.run(async {
            for i in 0..n {
                ex.spawn(async move { black_box(i) }).await;
            }
        }))
    });
    println!("spawn.smol_ns = {smol:.1}");
}
// ANCHOR_END: main
