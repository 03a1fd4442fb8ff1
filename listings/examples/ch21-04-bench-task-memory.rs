//! 示例 21-4（基准测试）：一个空闲任务占多少内存？
//!
//! 完整测量：`cargo run --release --example ch21-04-bench-task-memory`
//! （`BOOK_BENCH=smoke` 时只开很少的任务）。每种运行时在一个新的子进程里测，
//! 免得前一次测量释放的内存被后一次复用，让常驻内存的增量显得偏小。

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

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

/// 一次测量的结果：每个任务的堆内存和常驻内存（字节）。
fn report(name: &str, n: usize, before: (usize, usize)) {
    let heap = ALLOCATED.load(Ordering::Relaxed) - before.0;
    let rss = rss().saturating_sub(before.1);
    println!(
        "task_memory.{name}.heap_bytes = {:.1}",
        heap as f64 / n as f64
    );
    println!(
        "task_memory.{name}.rss_bytes = {:.1}",
        rss as f64 / n as f64
    );
}

// ANCHOR: measure
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
                let before = (ALLOCATED.load(Ordering::Relaxed), rss());
                for _ in 0..n {
                    // 丢掉 JoinHandle：任务照样运行，只剩运行时自己的那份内存。
                    drop(tokio::spawn(idle_task::<PAYLOAD>()));
                }
                while STARTED.load(Ordering::Relaxed) < n {
                    tokio::task::yield_now().await;
                }
                report(&name, n, before);
            });
        }
        "smol" => {
            let ex = smol::Executor::new();
            smol::block_on(ex.run(async {
                let before = (ALLOCATED.load(Ordering::Relaxed), rss());
                for _ in 0..n {
                    // detach：不保留 Task 句柄，任务继续运行。
                    ex.spawn(idle_task::<PAYLOAD>()).detach();
                }
                while STARTED.load(Ordering::Relaxed) < n {
                    smol::future::yield_now().await;
                }
                report(&name, n, before);
            }));
        }
        _ => unreachable!(),
    }
}
// ANCHOR_END: measure

fn main() {
    let n = if full() { 100_000 } else { 1_000 };
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
        "# 每个空闲任务的堆内存与常驻内存（字节），{n} 个任务的平均；Future 本身 {} 字节和 {} 字节",
        std::mem::size_of_val(&idle_task::<0>()),
        std::mem::size_of_val(&idle_task::<1024>())
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
    for runtime in ["tokio_mt", "tokio_ct", "smol"] {
        for payload in ["0", "1024"] {
            let out = Command::new(&me).args([runtime, payload]).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            print!("{}", String::from_utf8_lossy(&out.stdout));
        }
    }
}
