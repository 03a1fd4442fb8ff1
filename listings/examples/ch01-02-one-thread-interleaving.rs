//! 示例 1-2：三个任务在同一个线程上交替推进。
use std::time::Duration;
use tokio::time::{Instant, sleep};

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let main_thread = std::thread::current().id();

    // 每个任务做两段“I/O 等待”，每段开始前打印当前的虚拟时间（毫秒）。
    let work = move |name: &'static str, ms: u64| async move {
        for step in 1..=2 {
            let t = start.elapsed().as_millis();
            println!("t = {t:>3} ms  {name} 开始第 {step} 次等待（{ms} ms）");
            sleep(Duration::from_millis(ms)).await;
        }
        println!("t = {:>3} ms  {name} 完成", start.elapsed().as_millis());
        // 返回任务实际运行所在的线程。
        std::thread::current().id()
    };

    // 派生三个任务；current_thread 运行时只有一个线程可用。
    let handles = [
        tokio::spawn(work("A", 30)),
        tokio::spawn(work("B", 50)),
        tokio::spawn(work("C", 70)),
    ];
    let mut same_thread = true;
    for handle in handles {
        same_thread &= handle.await.unwrap() == main_thread;
    }

    println!("三个任务都在 main 所在的线程上运行：{same_thread}");
    println!(
        "总用时 {} ms（依次执行需要 300 ms）",
        start.elapsed().as_millis()
    );
}
// ANCHOR_END: main
