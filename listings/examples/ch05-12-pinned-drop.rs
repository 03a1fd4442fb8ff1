//! 示例 5-12：被固定的值也会被正常析构；pin-project-lite 的 PinnedDrop 让析构函数只拿到 Pin<&mut Self>。
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use tokio::time::{Duration, sleep, timeout};

// ANCHOR: traced
pin_project! {
    /// 记录内层 Future 的结局：完成了，还是没完成就被丢弃（取消）。
    struct Traced<F> {
        #[pin]
        inner: F,
        label: &'static str,
        polls: u32,
        done: bool,
    }

    // 不能写普通的 impl Drop：Drop::drop 拿到的是 &mut Self，可以把固定的 inner 移走。
    impl<F> PinnedDrop for Traced<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project(); // 析构时也只能投影：inner 仍是 Pin<&mut F>
            if !*this.done {
                println!("  {}：未完成就被丢弃，已轮询 {} 次", this.label, this.polls);
            }
        }
    }
}

impl<F> Traced<F> {
    fn new(label: &'static str, inner: F) -> Self {
        Traced {
            inner,
            label,
            polls: 0,
            done: false,
        }
    }
}

impl<F: Future> Future for Traced<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        *this.polls += 1;
        let poll = this.inner.poll(cx);
        if poll.is_ready() {
            *this.done = true;
            println!("  {}：完成，轮询 {} 次", this.label, this.polls);
        }
        poll
    }
}
// ANCHOR_END: traced

async fn work(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await;
    ms
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("1. timeout 到期，丢弃被固定在它内部的 Future：");
    let result = timeout(Duration::from_millis(50), Traced::new("慢任务", work(100))).await;
    println!(
        "  timeout 返回：{}",
        if result.is_ok() { "Ok" } else { "Err(Elapsed)" }
    );

    println!("2. Pin::set：先析构旧值，再在同一位置放入新值：");
    let mut slot = pin!(Traced::new("第一个", work(100)));
    let _ = timeout(Duration::from_millis(10), slot.as_mut()).await; // 轮询过，未完成
    slot.set(Traced::new("第二个", work(20)));
    let ms = slot.as_mut().await;
    println!("  第二个返回 {ms}");

    println!("3. 丢弃 Pin<Box<_>>：堆上被固定的值随之析构：");
    let mut boxed = Box::pin(Traced::new("堆上的任务", work(100)));
    let _ = timeout(Duration::from_millis(10), boxed.as_mut()).await;
    drop(boxed);
}
// ANCHOR_END: main
