//! 示例 17-9 是一组测试，用 `cargo test --example ch17-09-relaxed-flag` 运行。
#![cfg_attr(not(test), allow(dead_code))]

// ANCHOR: slot
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// 一次性发布一个值：写入方先存值、再举旗；读取方看到旗子举起，就去读值。
struct Slot {
    value: AtomicUsize,
    ready: AtomicBool,
}

impl Slot {
    fn new() -> Self {
        Slot {
            value: AtomicUsize::new(0),
            ready: AtomicBool::new(false),
        }
    }

    // 有缺陷：两次 Relaxed 写之间没有先后约束，别的线程可能先看到旗子、后看到值。
    fn publish(&self, value: usize) {
        self.value.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Relaxed);
    }

    fn get(&self) -> Option<usize> {
        if self.ready.load(Ordering::Relaxed) {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: slot

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-09-relaxed-flag");
}

#[cfg(test)]
mod tests {
    use super::*;

    // ANCHOR: test
    // 一个认真的普通测试：真的开线程，而且重复一千次。
    #[test]
    fn reader_never_sees_the_flag_before_the_value() {
        for _ in 0..1000 {
            let slot = Slot::new();
            std::thread::scope(|s| {
                s.spawn(|| slot.publish(42));
                loop {
                    if let Some(value) = slot.get() {
                        assert_eq!(value, 42, "看到了旗子，却读到旧值");
                        break;
                    }
                    std::thread::yield_now();
                }
            });
        }
    }
    // ANCHOR_END: test
}
