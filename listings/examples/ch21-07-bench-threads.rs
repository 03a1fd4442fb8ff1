//! 示例 21-7（基准测试）：一台机器能同时运行多少个线程？是什么在限制它？
//!
//! 完整测量：`cargo run --release --example ch21-07-bench-threads`
//! （`BOOK_BENCH=smoke` 时只开几个线程）。程序给自己设了上限，
//! 绝不会把机器的进程号或内存用完：别的程序还要用。

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn number(path: &str) -> Option<u64> {
    read(path)?.parse().ok()
}

/// /proc/self/limits 中一项限制的软限制（`unlimited` 记为 None）。
fn rlimit(name: &str) -> Option<u64> {
    let limits = read("/proc/self/limits")?;
    let line = limits.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// /proc/self/status 中的一项（kB 换成字节）。
fn status_bytes(key: &str) -> u64 {
    let status = read("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

/// /proc/meminfo 中内核为所有线程的内核栈占用的内存（字节）。
fn kernel_stack() -> u64 {
    let info = read("/proc/meminfo").unwrap();
    let line = info
        .lines()
        .find(|l| l.starts_with("KernelStack:"))
        .unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        * 1024
}

// ANCHOR: limits
/// 限制线程数的各个上限；返回（名字，上限）。
fn limits() -> Vec<(&'static str, u64)> {
    let mut out = Vec::new();
    // 整个系统的线程总数上限（内核按内存大小算出的默认值）。
    if let Some(v) = number("/proc/sys/kernel/threads-max") {
        out.push(("threads_max", v));
    }
    // 每个线程都要一个进程号（TID），进程号用完就不能再创建。
    if let Some(v) = number("/proc/sys/kernel/pid_max") {
        out.push(("pid_max", v));
    }
    // 每个线程栈占两个内存映射（栈本身和保护页），映射数有上限。
    // 注意：Rust 的线程还有一块信号备用栈，又占两个映射，实际能开的线程数只有这个数的一半左右。
    if let Some(v) = number("/proc/sys/vm/max_map_count") {
        out.push(("max_map_count_div2", v / 2));
    }
    // 同一用户的进程与线程总数（RLIMIT_NPROC；对 root 不生效）。
    if let Some(v) = rlimit("Max processes") {
        out.push(("rlimit_nproc", v));
    }
    // 容器的 cgroup 也可能限制进程数（v2 与 v1 的位置不同）。
    for path in ["/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max"] {
        if let Some(v) = number(path) {
            out.push(("cgroup_pids_max", v));
        }
    }
    out
}
// ANCHOR_END: limits

// ANCHOR: spawn
/// 创建至多 `cap` 个栈大小为 `stack` 的线程，让它们全部停在一个条件变量上，
/// 然后打印（`label` 不为 None 时）每个线程的虚拟内存、常驻内存和内核栈。返回成功创建的个数。
fn park_threads(label: Option<&str>, cap: usize, stack: Option<usize>) -> usize {
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let (vm, rss, kstack) = (
        status_bytes("VmSize:"),
        status_bytes("VmRSS:"),
        kernel_stack(),
    );
    let start = Instant::now();
    let mut handles = Vec::with_capacity(cap);
    for _ in 0..cap {
        let gate = Arc::clone(&gate);
        let mut builder = std::thread::Builder::new();
        if let Some(size) = stack {
            builder = builder.stack_size(size);
        }
        let spawned = builder.spawn(move || {
            let (lock, cvar) = &*gate;
            let mut open = lock.lock().unwrap();
            while !*open {
                open = cvar.wait(open).unwrap();
            }
        });
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                println!("# 第 {} 个线程创建失败：{e}", handles.len() + 1);
                break;
            }
        }
    }
    let n = handles.len();
    let spawn_ns = start.elapsed().as_nanos() as f64 / n as f64;
    let per = |after: u64, before: u64| after.saturating_sub(before) as f64 / n as f64;
    if let Some(label) = label {
        println!("threads.{label}.count = {n}");
        println!("threads.{label}.spawn_ns = {spawn_ns:.1}");
        println!(
            "threads.{label}.virtual_bytes = {:.1}",
            per(status_bytes("VmSize:"), vm)
        );
        println!(
            "threads.{label}.rss_bytes = {:.1}",
            per(status_bytes("VmRSS:"), rss)
        );
        println!(
            "threads.{label}.kernel_stack_bytes = {:.1}",
            per(kernel_stack(), kstack)
        );
    }
    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    for h in handles {
        h.join().unwrap();
    }
    n
}
// ANCHOR_END: spawn

// ANCHOR: main
fn main() {
    let limits = limits();
    for (name, v) in &limits {
        println!("threads.limit.{name} = {v}");
    }
    if let Some(v) = rlimit("Max stack size") {
        println!("threads.limit.rlimit_stack_bytes = {v}");
    }
    // 系统中现有的线程数：/proc/loadavg 第四项“正在运行/总数”的后一半。
    let existing: u64 = read("/proc/loadavg")
        .and_then(|l| l.split_whitespace().nth(3)?.split('/').nth(1)?.parse().ok())
        .unwrap_or(0);
    println!("threads.existing = {existing}");
    let ceiling = limits.iter().map(|(_, v)| *v).min().unwrap_or(u64::MAX);
    println!("threads.limit.lowest = {ceiling}");

    // 上限：最多 20000 个，且最多用掉剩余额度的一半，给别的程序留下余地。
    let room = ceiling.saturating_sub(existing) / 2;
    let (default_cap, small_cap) = if full() { (1_000, 20_000) } else { (8, 64) };
    let small_cap = small_cap.min(room as usize);
    // 先让 glibc 建好各线程的 malloc 区域（arena，每个预留 64 MiB 虚拟内存），
    // 免得它们混进下面每个线程的虚拟内存里。
    park_threads(None, 64.min(small_cap), None);
    // 默认栈（std 文档：2 MiB，可用 RUST_MIN_STACK 改变）：看虚拟内存与常驻内存的差别。
    park_threads(Some("default_stack"), default_cap.min(small_cap), None);
    // 64 KiB 的小栈：开到上限，看能不能超过“一万个线程”。
    park_threads(Some("small_stack"), small_cap, Some(64 * 1024));
}
// ANCHOR_END: main
