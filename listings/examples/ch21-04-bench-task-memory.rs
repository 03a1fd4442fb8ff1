//! 示例 21-4（基准测试）：一个空闲任务占多少内存？
//!
//! 完整测量：`cargo run --release --example ch21-04-bench-task-memory`
//! （`BOOK_BENCH=smoke` 时只开很少的任务）。每种运行时在一个新的子进程里测，
//! 免得前一次测量释放的内存被后一次复用，让常驻内存的增量显得偏小。
//! 每个任务的内存是两个任务数之间的斜率：运行时启动时的固定开销与容器按倍数扩容的
//! 部分在相减时抵消（两个任务数都是 2 的幂）。

#[path = "bench-support/rounds.rs"]
#[allow(dead_code)]
mod rounds;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: counter
/// 记录当前已分配字节数的全局分配器：包在系统分配器外面，只多做一次原子加减。
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

// 实现 GlobalAlloc 必须写 unsafe：这里只是把调用原样转给系统分配器。
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;
// ANCHOR_END: counter

/// 进程的常驻内存（字节），读自 /proc/self/status 的 VmRSS。
fn rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<usize>()
        .unwrap()
        * 1024
}

// ANCHOR: idle
/// 已经开始运行的任务数。
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// 一个空闲任务：运行一次，然后永远等待（像一个等着客户端发数据的连接）。
/// `PAYLOAD` 是它跨 .await 持有的数据，成为 Future 状态的一部分。
async fn idle_task<const PAYLOAD: usize>() {
    let state = [0u8; PAYLOAD];
    STARTED.fetch_add(1, Ordering::Relaxed);
    std::future::pending::<()>().await;
    black_box(&state);
}
// ANCHOR_END: idle

/// 此刻的（已分配的堆内存，常驻内存）。
fn snapshot() -> (usize, usize) {
    (ALLOCATED.load(Ordering::Relaxed), rss())
}

/// 两次快照之间每个任务多占的堆内存和常驻内存（字节）。
fn report(name: &str, n: usize, first: (usize, usize), second: (usize, usize)) {
    let per_task = |a: usize, b: usize| b.saturating_sub(a) as f64 / n as f64;
    println!(
        "task_memory.{name}.heap_bytes = {:.1}",
        per_task(first.0, second.0)
    );
    println!(
        "task_memory.{name}.rss_bytes = {:.1}",
        per_task(first.1, second.1)
    );
}

// ANCHOR: measure
/// 先派生 `n` 个空闲任务、记一次快照，再派生 `n` 个、再记一次：两次快照之差除以 `n`
/// 就是每多一个任务多占的内存。运行时启动时的固定开销在相减时抵消；`n` 是 2 的幂，
/// 按倍数扩容的容器（例如 Smol 记录活跃任务的 `Slab`）在两次快照时都恰好是满的，
/// 差值里只有每个任务真正占用的那一格。
fn measure<const PAYLOAD: usize>(runtime: &str, n: usize) {
    let name = format!("{runtime}.payload{PAYLOAD}");
    match runtime {
        "tokio_mt" | "tokio_ct" => {
            let rt = if runtime == "tokio_mt" {
                tokio::runtime::Builder::new_multi_thread().build().unwrap()
            } else {
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap()
            };
            rt.block_on(async {
                let mut snapshots = Vec::new();
                for batch in 1..=2 {
                    for _ in 0..n {
                        // 丢掉 JoinHandle：任务照样运行，只剩运行时自己的那份内存。
                        drop(tokio::spawn(idle_task::<PAYLOAD>()));
                    }
                    while STARTED.load(Ordering::Relaxed) < batch * n {
                        tokio::task::yield_now().await;
                    }
                    snapshots.push(snapshot());
                }
                report(&name, n, snapshots[0], snapshots[1]);
            });
        }
        "smol" => {
            let ex = smol::Executor::new();
            smol::block_on(ex.run(async {
                let mut snapshots = Vec::new();
                for batch in 1..=2 {
                    for _ in 0..n {
                        // detach：不保留 Task 句柄，任务继续运行。
                        ex.spawn(idle_task::<PAYLOAD>()).detach();
                    }
                    while STARTED.load(Ordering::Relaxed) < batch * n {
                        smol::future::yield_now().await;
                    }
                    snapshots.push(snapshot());
                }
                report(&name, n, snapshots[0], snapshots[1]);
            }));
        }
        _ => unreachable!(),
    }
}
// ANCHOR_END: measure

fn main() {
    // 每批的任务数：2 的 16 次方（冒烟模式 2 的 10 次方）。
    let n = if rounds::full() { 1 << 16 } else { 1 << 10 };
    let mut args = std::env::args().skip(1);
    if let (Some(runtime), Some(payload)) = (args.next(), args.next()) {
        // 子进程：只测一种运行时、一种 Future。
        match payload.as_str() {
            "0" => measure::<0>(&runtime, n),
            _ => measure::<1024>(&runtime, n),
        }
        return;
    }
    println!(
        "# 每个空闲任务的堆内存与常驻内存（字节）：{n} 个任务与 {} 个任务之间的斜率",
        2 * n
    );
    println!(
        "task_memory.future0.size_bytes = {}",
        std::mem::size_of_val(&idle_task::<0>())
    );
    println!(
        "task_memory.future1024.size_bytes = {}",
        std::mem::size_of_val(&idle_task::<1024>())
    );
    let me = std::env::current_exe().unwrap();
    let variants: Vec<(&str, &str)> = ["tokio_mt", "tokio_ct", "smol"]
        .into_iter()
        .flat_map(|rt| [(rt, "0"), (rt, "1024")])
        .collect();
    // 六种组合逐轮交替，每次一个新的子进程。
    rounds::interleave_with(variants.len(), |i| {
        let (runtime, payload) = variants[i];
        let out = Command::new(&me).args([runtime, payload]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
            .collect()
    });
}
