use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::runtime::Builder;

// ANCHOR: multi
fn multi_thread_runtime() {
    // 记录每个线程启动时的名字；线程并发启动，所以先收集、后排序计数。
    let started = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let record = Arc::clone(&started);

    let rt = Builder::new_multi_thread()
        .worker_threads(2) // 默认：CPU 核心数
        .max_blocking_threads(16) // 默认：512
        .thread_name("my-worker") // 默认："tokio-rt-worker"
        .thread_stack_size(3 * 1024 * 1024) // 默认：不设置，沿用标准库的线程栈大小
        .on_thread_start(move || {
            let name = std::thread::current().name().unwrap_or("?").to_string();
            *record.lock().unwrap().entry(name).or_default() += 1;
        })
        .enable_all() // 打开 I/O 驱动和计时器驱动
        .build()
        .unwrap();

    let task_thread = rt.block_on(async {
        // block_on 的 Future 在调用者线程上运行；派生的任务在工作线程上运行。
        tokio::spawn(async { std::thread::current().name().map(str::to_string) })
            .await
            .unwrap()
    });
    // 关闭运行时会等所有线程退出，这之后统计才完整。
    drop(rt);

    println!("任务运行在：{task_thread:?}");
    println!("启动过的线程：{:?}", started.lock().unwrap());
}
// ANCHOR_END: multi

// ANCHOR: current
fn current_thread_runtime() {
    let rt = Builder::new_current_thread().enable_all().build().unwrap();

    let names = rt.block_on(async {
        let main = std::thread::current().name().map(str::to_string);
        // 连派生的任务也在这唯一的线程上运行。
        let task = tokio::spawn(async { std::thread::current().name().map(str::to_string) })
            .await
            .unwrap();
        (main, task)
    });
    println!(
        "单线程运行时：block_on 在 {:?}，任务在 {:?}",
        names.0, names.1
    );
}
// ANCHOR_END: current

fn main() {
    multi_thread_runtime();
    current_thread_runtime();
}
