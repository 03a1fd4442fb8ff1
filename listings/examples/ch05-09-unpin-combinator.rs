//! 示例 5-9：只接受 Unpin 的内层 Future 的组合子：不需要宏，也不需要 unsafe。
use std::future::{Future, ready};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::time::{Duration, sleep};

// ANCHOR: unpin_only
/// 数一数内层 Future 被轮询了几次。
struct CountPolls<F> {
    inner: F,
    polls: u32,
}

impl<F: Future + Unpin> Future for CountPolls<F> {
    type Output = (F::Output, u32);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // F: Unpin 使 CountPolls<F>: Unpin，于是可以拿回普通的 &mut Self。
        let this = self.get_mut();
        this.polls += 1;
        match Pin::new(&mut this.inner).poll(cx) {
            Poll::Ready(out) => Poll::Ready((out, this.polls)),
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: unpin_only

async fn two_steps() -> &'static str {
    sleep(Duration::from_millis(100)).await;
    sleep(Duration::from_millis(50)).await;
    "两步完成"
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ready(..) 是 Unpin，直接包住。
    let (out, polls) = CountPolls {
        inner: ready("立即完成"),
        polls: 0,
    }
    .await;
    println!("CountPolls(ready(..))：{out}，轮询 {polls} 次");

    // async fn 的 Future 不是 Unpin：要先 Box::pin（一次堆分配），Pin<Box<_>> 才是 Unpin。
    let (out, polls) = CountPolls {
        inner: Box::pin(two_steps()),
        polls: 0,
    }
    .await;
    println!("CountPolls(Box::pin(two_steps()))：{out}，轮询 {polls} 次");
}
// ANCHOR_END: main
