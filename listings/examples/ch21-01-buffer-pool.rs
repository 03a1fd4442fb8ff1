//! 示例 21-1：一个正确的缓冲区内存池，以及几个异步任务怎样使用它。
//!
//! 示例 21-2 和基准测试 21-3 用 `#[path]` 引入本文件中的 `BufferPool`，
//! 测的就是书中展示的这一份代码。

use std::sync::{Arc, Mutex};
use std::time::Duration;

// ANCHOR: pool
/// 固定大小缓冲区的内存池。
///
/// 约定：`acquire` 交出的缓冲区长度恰好是 `buffer_size`、内容全是 0，
/// 与 `vec![0; buffer_size]` 一模一样。调用方不必关心它是复用的还是新分配的。
pub struct BufferPool {
    idle: Mutex<Vec<Vec<u8>>>,
    buffer_size: usize,
    max_idle: usize,
}

impl BufferPool {
    /// 预先分配 `max_idle` 个缓冲区；池中最多保留这么多个空闲缓冲区。
    pub fn new(max_idle: usize, buffer_size: usize) -> Self {
        let idle = (0..max_idle).map(|_| vec![0; buffer_size]).collect();
        Self {
            idle: Mutex::new(idle),
            buffer_size,
            max_idle,
        }
    }

    /// 取出一个缓冲区；池空了就新分配一个，所以从不等待。
    pub fn acquire(&self) -> Vec<u8> {
        // 锁只在弹出的一瞬间持有，其间没有 .await，所以用标准库的 Mutex。
        let reused = self.idle.lock().unwrap().pop();
        reused.unwrap_or_else(|| vec![0; self.buffer_size])
    }

    /// 归还一个缓冲区。
    pub fn release(&self, mut buf: Vec<u8>) {
        // 被换掉（容量不够）或被撑大（白占内存）的缓冲区不收，直接释放。
        if buf.capacity() < self.buffer_size || buf.capacity() > 2 * self.buffer_size {
            return;
        }
        // 清零并恢复长度：下一个使用者拿到的与新分配的相同，也看不到上一个使用者的数据。
        // 这一步在锁外做，锁内只剩一次 push。
        buf.clear();
        buf.resize(self.buffer_size, 0);
        let mut idle = self.idle.lock().unwrap();
        if idle.len() < self.max_idle {
            idle.push(buf);
        }
    }

    /// 池中空闲缓冲区的个数。
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap().len()
    }
}
// ANCHOR_END: pool

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // 池中预备 2 个 4 KiB 的缓冲区，却有 3 个任务同时要用。
    let pool = Arc::new(BufferPool::new(2, 4096));
    let mut handles = Vec::new();
    for id in 1..=3u8 {
        let pool = Arc::clone(&pool);
        handles.push(tokio::spawn(async move {
            let mut buf = pool.acquire();
            println!(
                "任务 {id}：取得 {} 字节，首字节 {}，池中还剩 {} 个",
                buf.len(),
                buf[0],
                pool.idle()
            );
            buf[0] = id;
            // 持有缓冲区跨过 .await，就像等待一次网络读写。
            tokio::time::sleep(Duration::from_millis(10 * u64::from(id))).await;
            pool.release(buf);
            println!("任务 {id}：归还，池中有 {} 个", pool.idle());
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    // 复用的缓冲区也是全 0：上一个任务写下的字节已被清除。
    let buf = pool.acquire();
    println!("再取一个：{} 字节，首字节 {}", buf.len(), buf[0]);
}
// ANCHOR_END: main
