//! 示例 2-4：Waker 的真实签名——wake 消耗唤醒器，wake_by_ref 不消耗。
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Wake, Waker};

// ANCHOR: counter
/// 一个只会计数的唤醒器：分别记下 wake 与 wake_by_ref 被调用的次数。
#[derive(Default)]
struct CountingWaker {
    wake: AtomicUsize,
    wake_by_ref: AtomicUsize,
}

impl Wake for CountingWaker {
    // 按值接收 Arc<Self>：调用者交出了这份引用计数。
    fn wake(self: Arc<Self>) {
        self.wake.fetch_add(1, Ordering::Relaxed);
    }

    // 按引用接收：调用者手里的唤醒器还能继续用。
    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_by_ref.fetch_add(1, Ordering::Relaxed);
    }
}
// ANCHOR_END: counter

// ANCHOR: main
fn main() {
    let counter = Arc::new(CountingWaker::default());
    let report = |what: &str| {
        println!(
            "wake = {}，wake_by_ref = {}，Arc 引用计数 = {}  ← {what}",
            counter.wake.load(Ordering::Relaxed),
            counter.wake_by_ref.load(Ordering::Relaxed),
            Arc::strong_count(&counter),
        );
    };

    // Waker::from 把 Arc<impl Wake> 变成标准的 Waker，引用计数加一。
    let waker = Waker::from(counter.clone());
    report("创建 Waker 之后");

    waker.wake_by_ref();
    report("waker.wake_by_ref() 之后");

    // 克隆唤醒器就是克隆里面的 Arc；唤醒器可以交给别的线程保存。
    let stored = waker.clone();
    report("waker.clone() 之后");
    println!("两个唤醒器唤醒同一个任务：{}", stored.will_wake(&waker));

    stored.wake(); // stored 被消耗，此后不能再使用它
    report("stored.wake() 之后");

    // poll 拿到的是 Context，它只借出 &Waker，所以 poll 里只能 wake_by_ref 或 clone。
    let cx = Context::from_waker(&waker);
    cx.waker().wake_by_ref();
    report("cx.waker().wake_by_ref() 之后");

    drop(waker);
    report("drop(waker) 之后");
}
// ANCHOR_END: main
