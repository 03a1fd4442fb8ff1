//! 示例 10-3：smol::spawn 把任务交给全局执行器，它由后台线程驱动。

use std::thread;
use std::time::Duration;

use smol::{Task, Timer};

fn thread_name() -> String {
    thread::current().name().unwrap_or("<无名>").to_string()
}

// ANCHOR: main
fn main() {
    // 第一次调用 smol::spawn 时才创建全局执行器和它的后台线程；
    // 任务马上就可以开始运行，不需要谁先调用 block_on。
    let tasks: Vec<Task<String>> = (1..=3)
        .map(|i| {
            // 全局执行器在别的线程上运行任务，所以 Future 必须是 Send + 'static。
            smol::spawn(async move {
                Timer::after(Duration::from_millis(i)).await;
                format!("任务 {i} 运行在线程 {}", thread_name())
            })
        })
        .collect();

    // 主线程上的 block_on 只负责等待这几个 Task，不执行全局执行器里的任务。
    smol::block_on(async {
        println!("block_on 运行在线程 {}", thread_name());
        // 按派生顺序等待，输出顺序因此固定，与任务完成的先后无关。
        for task in tasks {
            println!("{}", task.await);
        }
    });
}
// ANCHOR_END: main
