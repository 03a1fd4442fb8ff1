//! 示例 17-6 是一组测试，用 `cargo test --example ch17-06-step-by-step` 运行。
#![cfg_attr(not(test), allow(dead_code))]

// ANCHOR: latch
use std::sync::Mutex;

use tokio::sync::Notify;

/// 倒数门闩：计数减到 0 时，放行所有等待者。
struct Latch {
    remaining: Mutex<usize>,
    zero: Notify,
}

impl Latch {
    fn new(count: usize) -> Self {
        Latch {
            remaining: Mutex::new(count),
            zero: Notify::new(),
        }
    }

    fn count_down(&self) {
        let mut remaining = self.remaining.lock().unwrap();
        if *remaining > 0 {
            *remaining -= 1;
            if *remaining == 0 {
                self.zero.notify_waiters();
            }
        }
    }

    async fn wait(&self) {
        loop {
            // 先登记（创建 Notified），再检查计数：检查之后才到的通知也不会漏掉。
            let notified = self.zero.notified();
            if *self.remaining.lock().unwrap() == 0 {
                return;
            }
            notified.await;
        }
    }
}
// ANCHOR_END: latch

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-06-step-by-step");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_test::task;
    use tokio_test::{assert_pending, assert_ready};

    // ANCHOR: tests
    // 不需要运行时：测试自己一步一步地轮询，每一步之后检查唤醒器有没有被调用。
    #[test]
    fn only_the_last_count_down_wakes_the_waiter() {
        let latch = Latch::new(2);
        let mut wait = task::spawn(latch.wait());
        assert_pending!(wait.poll());

        latch.count_down();
        assert!(!wait.is_woken(), "还差一次，不该唤醒");

        latch.count_down();
        assert!(wait.is_woken(), "最后一次必须唤醒等待者");
        assert_ready!(wait.poll());
    }

    #[test]
    fn waiting_on_an_open_latch_is_ready_at_once() {
        let latch = Latch::new(1);
        latch.count_down();
        assert_ready!(task::spawn(latch.wait()).poll());
    }
    // ANCHOR_END: tests
}
