//! 示例 21-2：证明示例 21-1 的内存池守住了约定，而“清空再归还”的常见写法没有。

// 与示例 21-1 放在同一目录：这里用的就是书中展示的那一份 BufferPool。
#[path = "ch21-01-buffer-pool.rs"]
#[allow(dead_code)]
mod pool;

use pool::BufferPool;

// ANCHOR: clearing
/// 一个常见的错误写法：归还时 clear()，池空时却新分配满长度的缓冲区。
struct ClearingPool {
    pool: tokio::sync::Mutex<Vec<Vec<u8>>>,
    buffer_size: usize,
}

impl ClearingPool {
    fn new(capacity: usize, buffer_size: usize) -> Self {
        let mut pool = Vec::with_capacity(capacity);
        for _ in 0..capacity {
            pool.push(vec![0; buffer_size]);
        }
        Self {
            pool: tokio::sync::Mutex::new(pool),
            buffer_size,
        }
    }

    async fn acquire(&self) -> Vec<u8> {
        let mut pool = self.pool.lock().await;
        pool.pop().unwrap_or_else(|| vec![0; self.buffer_size])
    }

    async fn release(&self, mut buffer: Vec<u8>) {
        buffer.clear(); // 长度变成 0，之后再也没有恢复
        let mut pool = self.pool.lock().await;
        if pool.len() < pool.capacity() {
            pool.push(buffer);
        }
    }
}
// ANCHOR_END: clearing

// ANCHOR: check
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let clearing = ClearingPool::new(1, 4096);
    let buf = clearing.acquire().await;
    println!("清空再归还：第一次取出，长度 {}", buf.len());
    clearing.release(buf).await;
    let buf = clearing.acquire().await;
    // 这时写 buf[0] 会因越界而 panic：缓冲区里一个字节也没有。
    println!(
        "清空再归还：归还后再取出，长度 {}，buf.first() = {:?}",
        buf.len(),
        buf.first()
    );

    let pool = BufferPool::new(1, 4096);
    let mut buf = pool.acquire();
    buf.fill(0xAB); // 上一个使用者留下的数据
    let first = buf.as_ptr();
    pool.release(buf);
    let buf = pool.acquire();
    assert_eq!(buf.len(), 4096);
    assert!(buf.iter().all(|&b| b == 0));
    assert_eq!(buf.as_ptr(), first);
    println!(
        "示例 21-1：归还后再取出，长度 {}，全为 0：{}，是同一块内存：{}",
        buf.len(),
        buf.iter().all(|&b| b == 0),
        buf.as_ptr() == first
    );

    // 使用者把缓冲区换成了别的 Vec：容量不够，池子不收。
    pool.release(Vec::new());
    assert_eq!(pool.idle(), 0);
    println!(
        "示例 21-1：归还一个容量为 0 的 Vec 之后，池中有 {} 个",
        pool.idle()
    );
    // 池空时新分配的，同样满足约定。
    let fresh = pool.acquire();
    assert_eq!(fresh.len(), 4096);
    println!("示例 21-1：池空时新分配，长度 {}", fresh.len());
}
// ANCHOR_END: check
