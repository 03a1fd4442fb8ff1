//! 示例 14-3：不要求 Send 的地方，守卫跨过 .await 能编译，但锁在挂起期间一直被占着。

use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use tokio::time::{Instant, sleep};

// ANCHOR: bad
// 故意的坏做法：std 的守卫跨过了 .await。这里没有 tokio::spawn，
// 编译器不要求 Send，只有 clippy 的 await_holding_lock 会指出它，所以只在这一项上放行。
#[allow(clippy::await_holding_lock)]
async fn slow_writer(state: &Mutex<Vec<&'static str>>, start: Instant) {
    let mut log = state.lock().unwrap();
    log.push("写者开始");
    println!(
        "{:>3} ms 写者拿到锁，挂起 30 ms",
        start.elapsed().as_millis()
    );
    sleep(Duration::from_millis(30)).await; // 挂起时，守卫仍在状态机里
    log.push("写者结束");
    println!("{:>3} ms 写者释放锁", start.elapsed().as_millis());
}
// ANCHOR_END: bad

// ANCHOR: probe
async fn reader(state: &Mutex<Vec<&'static str>>, start: Instant) {
    sleep(Duration::from_millis(10)).await;
    // 用 try_lock 试探：换成 lock()，这个线程会阻塞在这里等锁，
    // 而持锁的写者要在同一个线程上才能继续运行、释放锁，于是谁也走不动。
    match state.try_lock() {
        Err(TryLockError::WouldBlock) => {
            println!(
                "{:>3} ms 读者：锁被占着（若调用 lock()，线程就此死锁）",
                start.elapsed().as_millis()
            );
        }
        Ok(log) => println!("{:>3} ms 读者：{log:?}", start.elapsed().as_millis()),
        Err(TryLockError::Poisoned(_)) => unreachable!(),
    }
    sleep(Duration::from_millis(30)).await;
    let log = state.lock().unwrap();
    println!("{:>3} ms 读者：{log:?}", start.elapsed().as_millis());
}
// ANCHOR_END: probe

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let state = Mutex::new(Vec::new());
    let start = Instant::now();
    // join! 在同一个任务里轮流推进两个 Future，不要求它们是 Send。
    tokio::join!(slow_writer(&state, start), reader(&state, start));
}
// ANCHOR_END: main
