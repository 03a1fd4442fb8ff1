//! 示例 17-10：用 loom 检查示例 17-9 的 Slot。
//! 运行：RUSTFLAGS="--cfg loom" cargo test --manifest-path listings/loom/Cargo.toml --test ch17-10-loom-publish
#![cfg_attr(not(loom), allow(dead_code))]

// ANCHOR: switch
// 同一份代码，两种原子类型：普通构建用标准库的，--cfg loom 的构建用 loom 的。
// loom 的原子类型记录每一次读写，让 loom 能枚举线程交错和内存序允许的每一种结果。
#[cfg(loom)]
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
// ANCHOR_END: switch

// ANCHOR: slot
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

    // 示例 17-9 的写法：两次 Relaxed。
    fn publish_relaxed(&self, value: usize) {
        self.value.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Relaxed);
    }

    fn get_relaxed(&self) -> Option<usize> {
        if self.ready.load(Ordering::Relaxed) {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }

    // 修正：举旗用 Release，看旗用 Acquire。看到旗子的线程，一定也看得到举旗之前的写入。
    fn publish(&self, value: usize) {
        self.value.store(value, Ordering::Relaxed);
        self.ready.store(true, Ordering::Release);
    }

    fn get(&self) -> Option<usize> {
        if self.ready.load(Ordering::Acquire) {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}
// ANCHOR_END: slot

// ANCHOR: model
#[cfg(loom)]
mod model {
    use super::Slot;
    use loom::sync::Arc;
    use loom::thread;

    // loom::model 把闭包运行很多遍，每一遍换一种线程交错、换一种读到的值，
    // 直到穷尽 loom 能模拟的所有可能，或者某一遍里断言失败。
    #[test]
    fn relaxed_reader_never_sees_the_flag_before_the_value() {
        loom::model(|| {
            let slot = Arc::new(Slot::new());
            let writer = thread::spawn({
                let slot = slot.clone();
                move || slot.publish_relaxed(42)
            });
            if let Some(value) = slot.get_relaxed() {
                assert_eq!(value, 42, "看到了旗子，却读到旧值");
            }
            writer.join().unwrap();
        });
    }

    #[test]
    fn acquire_reader_never_sees_the_flag_before_the_value() {
        loom::model(|| {
            let slot = Arc::new(Slot::new());
            let writer = thread::spawn({
                let slot = slot.clone();
                move || slot.publish(42)
            });
            if let Some(value) = slot.get() {
                assert_eq!(value, 42, "看到了旗子，却读到旧值");
            }
            writer.join().unwrap();
        });
    }
}
// ANCHOR_END: model
