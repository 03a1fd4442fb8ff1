//! 示例 5-10：用 pin-project-lite 做固定投影：内层 Future 不必是 Unpin，也不必装箱。
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: timed
pin_project! {
    /// 数轮询次数，并量出从第一次轮询到完成经过的时间。内层 Future 可以不是 Unpin。
    struct Timed<F> {
        #[pin]
        inner: F,            // 结构化固定：Timed 被固定，inner 也被固定
        polls: u32,          // 普通字段：投影后得到 &mut u32
        started: Option<Instant>,
    }
}

impl<F> Timed<F> {
    fn new(inner: F) -> Self {
        Timed {
            inner,
            polls: 0,
            started: None,
        }
    }
}

impl<F: Future> Future for Timed<F> {
    type Output = (F::Output, u32, Duration);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Pin<&mut Timed<F>> 拆成每个字段一个引用：
        // this.inner 是 Pin<&mut F>，this.polls 是 &mut u32，this.started 是 &mut Option<Instant>。
        let this = self.project();
        *this.polls += 1;
        let started = *this.started.get_or_insert_with(Instant::now);
        match this.inner.poll(cx) {
            Poll::Ready(out) => Poll::Ready((out, *this.polls, started.elapsed())),
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: timed

async fn two_steps() -> &'static str {
    sleep(Duration::from_millis(100)).await;
    sleep(Duration::from_millis(50)).await;
    "两步完成"
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // Timed 不要求 Unpin：直接包住 async fn 的 Future（示例 5-9 要先 Box::pin），它和 Timed 一起被固定。
    let (out, polls, took) = Timed::new(two_steps()).await;
    println!("Timed(two_steps())：{out}，轮询 {polls} 次，用时 {took:?}");

    // tokio 的 Sleep 也不是 Unpin，同样可以直接包住。
    let ((), polls, took) = Timed::new(sleep(Duration::from_millis(30))).await;
    println!("Timed(sleep(30ms))：轮询 {polls} 次，用时 {took:?}");
}
// ANCHOR_END: main
