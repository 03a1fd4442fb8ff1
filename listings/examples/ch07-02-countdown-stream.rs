//! 示例 7-2：手写一个 Stream，再亲手轮询它。
use futures::StreamExt;
use futures::executor::block_on;
use futures::stream::Stream;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: stream
/// 依次交出 remaining, remaining - 1, …, 1，然后结束。
/// 为了看见 Pending，每交出一个值之前先“没准备好”一次。
struct Countdown {
    remaining: u32,
    ready: bool,
}

impl Stream for Countdown {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.remaining == 0 {
            // 已经结束：这个实现选择一直返回 None（trait 并不要求这样做，见 7.8 节）。
            return Poll::Ready(None);
        }
        if !self.ready {
            self.ready = true;
            // 与示例 2-1 相同：没有外部事件，返回 Pending 之前立即唤醒自己。
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.ready = false;
        let n = self.remaining;
        self.remaining -= 1;
        Poll::Ready(Some(n))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // 还剩多少个值是确切知道的：下界与上界相等。
        let n = self.remaining as usize;
        (n, Some(n))
    }
}
// ANCHOR_END: stream

fn main() {
    // ANCHOR: by_hand
    let mut countdown = Countdown {
        remaining: 2,
        ready: false,
    };
    let mut cx = Context::from_waker(Waker::noop());
    for n in 1..=6 {
        let hint = countdown.size_hint();
        let poll = Pin::new(&mut countdown).poll_next(&mut cx);
        println!("第 {n} 次 poll_next：{poll:?}（轮询前 size_hint = {hint:?}）");
    }
    // ANCHOR_END: by_hand

    // ANCHOR: next
    // next() 返回一个 Future，轮询这个 Future 就是调用一次 poll_next。
    // block_on 带着真正会唤醒的唤醒器，Pending 之后它会再来轮询。
    block_on(async {
        let mut countdown = Countdown {
            remaining: 3,
            ready: false,
        };
        while let Some(n) = countdown.next().await {
            println!("while let 取得 {n}");
        }
        println!("next() 返回 None，循环结束");
    });
    // ANCHOR_END: next
}
