//! 示例 2-2：async fn 的函数体要等到被轮询时才执行。
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

// 与示例 2-1 相同的 Countdown。
struct Countdown {
    remaining: u32,
}

impl Future for Countdown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.remaining == 0 {
            return Poll::Ready("发射！");
        }
        self.remaining -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

// ANCHOR: async_fn
async fn launch() -> String {
    println!("  函数体：开始执行");
    let word = Countdown { remaining: 2 }.await;
    println!("  函数体：倒计时结束");
    format!("火箭{word}")
}
// ANCHOR_END: async_fn

// ANCHOR: main
fn main() {
    let future = launch();
    println!("已经调用 launch()，但函数体一行也没有执行");

    // async fn 返回的 Future 不是 Unpin，不能用 Pin::new；
    // pin! 把它固定在当前栈帧上，之后它就不会再被移动。
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());

    for n in 1.. {
        println!("第 {n} 次 poll");
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => println!("  → Pending"),
            Poll::Ready(s) => {
                println!("  → Ready({s:?})");
                break;
            }
        }
    }
}
// ANCHOR_END: main
