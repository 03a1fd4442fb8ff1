//! 示例 4-4：把 4.1 节的 bind 示意逐字写成 Rust，看它错在哪里。
//!
//! 同样的 m 和 f，分别交给 `FutureExt::then`、一个 async 块和朴素的 bind，
//! 用手写的轮询循环驱动，数一数 m 被轮询了几次、f 被调用了几次。

use std::any::Any;
use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::panic::{self, AssertUnwindSafe};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use futures::FutureExt;
use futures::future::ready;

// ANCHOR: naive
/// 逐字翻译示意里的 `fut >>= f`：每次被轮询，都先轮询 m。
struct NaiveBind<M, F> {
    m: M,
    f: F,
}

impl<M, F, N> Future for NaiveBind<M, F>
where
    M: Future + Unpin,
    F: FnMut(M::Output) -> N + Unpin,
    N: Future,
{
    type Output = N::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<N::Output> {
        let this = self.get_mut();
        match Pin::new(&mut this.m).poll(cx) {
            // m 完成了：构造 f(x)，立刻轮询它。
            // next 只是局部变量，这次 poll 一返回就被丢弃；
            // “已经进入第二阶段”这件事没有记在 NaiveBind 的任何字段里。
            Poll::Ready(x) => {
                let next = pin!((this.f)(x));
                next.poll(cx)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: naive

/// 第二阶段的计算：和示例 4-2 的 `PendingOnce` 一样，第一次被轮询时
/// 唤醒自己并返回 `Pending`，第二次才就绪。
struct PendingOnce {
    value: i32,
    polled: bool,
}

impl Future for PendingOnce {
    type Output = i32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i32> {
        if self.polled {
            Poll::Ready(self.value)
        } else {
            self.polled = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn pending_once(value: i32) -> PendingOnce {
    PendingOnce {
        value,
        polled: false,
    }
}

/// 用什么也不做的唤醒器轮询 `fut`，最多 `max` 次，打印每一次的结果。
/// panic 被接住并打印到标准输出，这样读者能在输出里看到它。
fn drive(fut: impl Future<Output = i32>, max: u32) {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for i in 1..=max {
        match panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut cx))) {
            Ok(Poll::Ready(v)) => {
                println!("  第 {i} 次轮询：Ready({v})");
                return;
            }
            Ok(Poll::Pending) => println!("  第 {i} 次轮询：Pending"),
            Err(payload) => {
                println!("  第 {i} 次轮询：panic，{}", message(payload.as_ref()));
                return;
            }
        }
    }
    println!("  轮询 {max} 次仍未完成，放弃");
}

fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "（不是字符串）"
    }
}

// ANCHOR: main
fn main() {
    // 第三种组合会 panic：换成什么也不打印的 panic 钩子，消息由 drive 打印到标准输出。
    panic::set_hook(Box::new(|_| {}));

    let (m_polls, f_calls) = (&Cell::new(0), &Cell::new(0));
    // m：futures 的 ready(41)，外面包一层计数，每被轮询一次就记一笔。
    let m = || {
        let mut inner = ready(41);
        poll_fn(move |cx| {
            m_polls.set(m_polls.get() + 1);
            inner.poll_unpin(cx)
        })
    };
    // 另一个 m：完成之后再被轮询，照样返回 Ready(41)。
    // Future 的文档对完成后再轮询的结果不作要求，panic 与照常返回都允许。
    let lenient_m = || {
        poll_fn(|_| {
            m_polls.set(m_polls.get() + 1);
            Poll::Ready(41)
        })
    };
    // f：每被调用一次就记一笔，返回一个要轮询两次才就绪的计算。
    let f = |x: i32| {
        f_calls.set(f_calls.get() + 1);
        pending_once(x + 1)
    };
    let report = || {
        println!(
            "  m 被轮询 {} 次，f 被调用 {} 次",
            m_polls.get(),
            f_calls.get()
        );
        m_polls.set(0);
        f_calls.set(0);
    };

    println!("m.then(f)：");
    drive(m().then(f), 5);
    report();

    println!("async {{ f(m.await).await }}：");
    drive(async { f(m().await).await }, 5);
    report();

    println!("NaiveBind {{ m, f }}：");
    drive(NaiveBind { m: m(), f }, 5);
    report();

    println!("NaiveBind {{ m: lenient_m, f }}：");
    drive(NaiveBind { m: lenient_m(), f }, 5);
    report();
}
// ANCHOR_END: main
