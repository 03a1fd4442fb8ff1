//! 示例 10-1：创建执行器，在当前线程上运行它，派生任务并等待结果。

use std::thread;
use std::time::{Duration, Instant};

use smol::{Executor, Timer};

/// 返回当前线程的名字，用来说明任务在哪个线程上运行。
fn thread_name() -> String {
    thread::current().name().unwrap_or("<无名>").to_string()
}

// ANCHOR: main
fn main() {
    // 执行器只是一个任务队列；没有人调用 run，它就一个任务也不会执行。
    let ex = Executor::new();

    // block_on 阻塞当前线程，驱动 ex.run(...) 这个 Future；
    // ex.run 在等待内层 Future 的同时，执行 ex 上排队的任务。
    let output = smol::block_on(ex.run(async {
        println!("主 Future 运行在线程 {}", thread_name());

        let started = Instant::now();
        // spawn 只是把任务放进队列，立即返回 Task 句柄。
        let task = ex.spawn(async {
            println!("任务运行在线程 {}", thread_name());
            // smol 没有可暂停的时钟：这是真实的 10 毫秒。
            Timer::after(Duration::from_millis(10)).await;
            "完成"
        });

        // 等待 Task 就是等待任务的输出。
        let result = task.await;
        // 真实计时，只打印“至少等了 10 毫秒”这一确定的事实。
        println!(
            "任务返回 {result:?}，至少等了 10 毫秒：{}",
            started.elapsed() >= Duration::from_millis(10)
        );
        result
    }));

    // ex.run 的返回值就是内层 Future 的输出，block_on 把它原样交出。
    println!("block_on 返回 {output:?}");
}
// ANCHOR_END: main
