//! 示例 21-3（基准测试）：示例 21-1 的内存池与直接分配相比，一个任务独用与多个任务争用，
//! 三种缓冲区大小。
//!
//! 完整测量：`cargo run --release --example ch21-03-bench-pool`
//! （`BOOK_BENCH=smoke` 时只跑很少几次，测试用它确认程序能运行）。
//! 每行 `名字 = 数值` 是一轮的结果，`cargo xtask bench` 收集这些行。
//! 同一份代码还由 `listings/alloc-bench` 换上 jemalloc、mimalloc 两种全局分配器各编译一次。

#[path = "ch21-01-buffer-pool.rs"]
#[allow(dead_code)]
mod pool;

#[path = "bench-support/rounds.rs"]
mod rounds;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use pool::BufferPool;

// ANCHOR: work
/// 一次“使用缓冲区”：取得，整个写一遍（像读进一段数据），交给 black_box
/// 防止被优化掉，再归还或释放。
fn with_alloc(size: usize, i: usize) {
    let mut buf = vec![0u8; size];
    buf.fill(i as u8);
    black_box(&buf);
}

fn with_pool(pool: &BufferPool, i: usize) {
    let mut buf = pool.acquire();
    buf.fill(i as u8);
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

// ANCHOR: sizes
/// 三种大小：（名字，字节数，完整测量时每轮的总次数）。64 MiB 超过了 glibc 动态调高
/// mmap 阈值的上限（64 位系统上 32 MiB），glibc 每次都用 mmap 向内核申请、用 munmap 归还。
const SIZES: [(&str, usize, usize); 3] = [
    ("4k", 4 << 10, 200_000),
    ("1m", 1 << 20, 400),
    ("64m", 64 << 20, 8),
];
// ANCHOR_END: sizes

// ANCHOR: main
/// 测量全部情形；`allocator` 是结果名字里的分配器（本程序用系统的 glibc malloc）。
pub fn bench(allocator: &str) {
    // 两个工作线程：本机有 2 个核心，两个任务真正同时争用池子的锁。
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    println!("# 每次取得、写满、归还（或分配、写满、释放）的纳秒数");
    for (label, size, ops) in SIZES {
        // 冒烟模式每种情形只做 8 次（8 个任务各一次），也不测 64 MiB：未优化的构建清零太慢。
        if !rounds::full() && size > 1 << 20 {
            continue;
        }
        let ops = if rounds::full() { ops } else { 8 };
        for (mode, tasks) in [("one_task", 1), ("contended", 8)] {
            let per_task = ops / tasks;
            let pool = Arc::new(BufferPool::new(tasks, size));
            let names: Vec<String> = ["alloc", "pool"]
                .iter()
                .map(|v| format!("pool.{allocator}.{label}.{mode}.{v}_ns"))
                .collect();
            // 直接分配与内存池逐轮交替，轮流先测。
            rounds::interleave(&names, |i| {
                let pool = (i == 1).then(|| pool.clone());
                run(&rt, tasks, per_task, pool, size)
            });
        }
    }
}

fn main() {
    bench("glibc");
}
// ANCHOR_END: main
