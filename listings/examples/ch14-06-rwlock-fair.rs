//! 示例 14-6：tokio 的 RwLock 按先来后到排队：排在写者后面的读者，要等写者用完。

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::RwLock;
use tokio::time::{Instant, sleep};

// ANCHOR: roles
async fn reader(lock: Arc<RwLock<u32>>, who: &'static str, at: u64, hold: u64, start: Instant) {
    sleep(Duration::from_millis(at)).await;
    println!("{:>3} ms {who} 请求读锁", start.elapsed().as_millis());
    let value = lock.read().await;
    println!(
        "{:>3} ms {who} 读到 {}",
        start.elapsed().as_millis(),
        *value
    );
    sleep(Duration::from_millis(hold)).await;
    println!("{:>3} ms {who} 释放读锁", start.elapsed().as_millis());
}

async fn writer(lock: Arc<RwLock<u32>>, at: u64, start: Instant) {
    sleep(Duration::from_millis(at)).await;
    println!("{:>3} ms 写者 请求写锁", start.elapsed().as_millis());
    let mut value = lock.write().await;
    *value += 1;
    println!("{:>3} ms 写者 写入 {}", start.elapsed().as_millis(), *value);
    sleep(Duration::from_millis(10)).await;
    println!("{:>3} ms 写者 释放写锁", start.elapsed().as_millis());
}
// ANCHOR_END: roles

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let lock = Arc::new(RwLock::new(0));
    let start = Instant::now();
    tokio::join!(
        // 读者 A、B 同时持有读锁，各读 30 ms。
        reader(lock.clone(), "读者 A", 0, 30, start),
        reader(lock.clone(), "读者 B", 0, 30, start),
        // 10 ms 时写者到来：读锁还在别人手里，它排队等待。
        writer(lock.clone(), 10, start),
        // 20 ms 时读者 C 到来：锁此刻只被读者持有，但写者排在它前面。
        reader(lock.clone(), "读者 C", 20, 5, start),
    );
}
// ANCHOR_END: main
