//! 示例 21-3（基准测试）：示例 21-1 的内存池与直接分配相比，一个任务独用与多个任务争用。
//!
//! 完整测量：`cargo run --release --example ch21-03-bench-pool`
//! （`BOOK_BENCH=smoke` 时只跑很少几轮，测试用它确认程序能运行）。
//! 每行 `名字 = 数值` 是一个结果，`cargo xtask bench` 收集这些行。

#[path = "ch21-01-buffer-pool.rs"]
#[allow(dead_code)]
mod pool;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use pool::BufferPool;

fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

// ANCHOR: work
/// 一次“使用缓冲区”：取得、写一个字节、交给 black_box 防止被优化掉、归还或释放。
fn with_alloc(size: usize, i: usize) {
    let mut buf = vec![0u8; size];
    buf[i % size] = 1;
    black_box(&buf);
}

fn with_pool(pool: &BufferPool, i: usize) {
    let mut buf = pool.acquire();
    let n = buf.len();
    buf[i % n] = 1;
    black_box(&buf);
    pool.release(buf);
}
// ANCHOR_END: work

// ANCHOR: measure
/// 在多线程运行时上开 `tasks` 个任务，每个任务做 `per_task` 次，返回每次的纳秒数。
fn run(
    rt: &tokio::runtime::Runtime,
    tasks: usize,
    per_task: usize,
    pool: Option<Arc<BufferPool>>,
    size: usize,
) -> f64 {
    let start = Instant::now();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..tasks {
            let pool = pool.clone();
            set.spawn(async move {
                for i in 0..per_task {
                    match &pool {
                        Some(p) => with_pool(p, i),
                        None => with_alloc(size, i),
                    }
                    // 每 64 次让出一次，让同一工作线程上的其他任务也能推进。
                    if i % 64 == 63 {
                        tokio::task::yield_now().await;
                    }
                }
            });
        }
        set.join_all().await;
    });
    start.elapsed().as_nanos() as f64 / (tasks * per_task) as f64
}
// ANCHOR_END: measure

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

// ANCHOR: main
fn main() {
    let (ops, rounds) = if full() { (400_000, 5) } else { (2_000, 1) };
    // 两个工作线程：本机有 2 个核心，两个任务真正同时争用池子的锁。
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    println!("# 每次取得加归还（或分配加释放）的纳秒数，{rounds} 轮取中位数");
    for (label, size) in [("4k", 4 * 1024), ("1m", 1024 * 1024)] {
        // 1 MiB 的缓冲区每次要清零 1 MiB，次数相应减少。
        let ops = if size > 4096 { ops / 100 } else { ops };
        for (mode, tasks) in [("one_task", 1), ("contended", 8)] {
            let per_task = ops / tasks;
            let pool = Arc::new(BufferPool::new(tasks, size));
            let alloc = median(
                (0..rounds)
                    .map(|_| run(&rt, tasks, per_task, None, size))
                    .collect(),
            );
            let pooled = median(
                (0..rounds)
                    .map(|_| run(&rt, tasks, per_task, Some(pool.clone()), size))
                    .collect(),
            );
            println!("pool.{label}.{mode}.alloc_ns = {alloc:.1}");
            println!("pool.{label}.{mode}.pool_ns = {pooled:.1}");
        }
    }
}
// ANCHOR_END: main
