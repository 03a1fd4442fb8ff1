//! 示例 4-2：亲眼看到 `await` 挂起与恢复。
//!
//! 不用任何运行时，只用标准库：一个手写的 Future、一个 async fn、
//! 一个手写的轮询循环和 `Waker::noop()`。

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

// ANCHOR: pending_once
/// 第一次被轮询时返回 `Pending`，第二次返回 `Ready(value)`。
struct PendingOnce {
    value: u32,
    polled: bool,
}

impl Future for PendingOnce {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.polled {
            println!("    PendingOnce::poll → Ready({})", self.value);
            Poll::Ready(self.value)
        } else {
            self.polled = true;
            // 返回 Pending 之前必须安排好唤醒，否则执行器没有理由再来轮询。
            // 这里数据“已经准备好”，所以立刻唤醒自己。
            cx.waker().wake_by_ref();
            println!("    PendingOnce::poll → Pending（已唤醒自己）");
            Poll::Pending
        }
    }
}
// ANCHOR_END: pending_once

// ANCHOR: async_fn
async fn compute() -> u32 {
    println!("  compute：开始执行，准备 await");
    let v = PendingOnce {
        value: 41,
        polled: false,
    }
    .await;
    // 这一行就是延续 κ：挂起时被保存在状态机里，恢复时才执行。
    println!("  compute：从 await 恢复，得到 {v}");
    v + 1
}
// ANCHOR_END: async_fn

// ANCHOR: driver
fn main() {
    // 调用 async fn 只是构造状态机，函数体一行都还没有执行。
    let mut fut = pin!(compute());
    println!("已构造 compute() 的 Future，尚未轮询");

    // noop 唤醒器：被唤醒时什么也不做。我们的循环本来就会立刻再轮询。
    let mut cx = Context::from_waker(Waker::noop());
    let mut step = 1;
    loop {
        println!("第 {step} 次轮询：");
        match fut.as_mut().poll(&mut cx) {
            Poll::Pending => println!("  → Pending：compute 挂起，控制权回到 main"),
            Poll::Ready(v) => {
                println!("  → Ready({v})：compute 完成");
                break;
            }
        }
        step += 1;
    }
}
// ANCHOR_END: driver
