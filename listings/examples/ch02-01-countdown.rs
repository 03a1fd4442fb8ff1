//! 示例 2-1：手写一个 Future，再亲手轮询它。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: future
/// 每被轮询一次就减一，减到零时完成。
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
        // 返回 Pending 之前必须安排好“以后会有人唤醒我”。这里没有外部事件，
        // 就立即唤醒自己，请执行器尽快再轮询一次。
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: future

// ANCHOR: main
fn main() {
    let mut countdown = Countdown { remaining: 3 };
    // 不需要真正的执行器：Waker::noop() 给出一个什么也不做的唤醒器。
    let mut cx = Context::from_waker(Waker::noop());

    for n in 1.. {
        // Countdown 是 Unpin，所以可以用 Pin::new 从普通的 &mut 得到 Pin<&mut _>。
        let poll = Pin::new(&mut countdown).poll(&mut cx);
        println!(
            "第 {n} 次 poll：{poll:?}，remaining = {}",
            countdown.remaining
        );
        if poll.is_ready() {
            break;
        }
    }
}
// ANCHOR_END: main
