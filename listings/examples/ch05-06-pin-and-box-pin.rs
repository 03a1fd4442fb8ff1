//! 示例 5-6：用 pin! 把 Future 固定在本地，用 Box::pin 固定在堆上，用 as_mut 反复轮询。
use std::future::{Future, ready};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// 与示例 5-1 相同：第一次轮询返回 Pending，第二次返回 Ready。
struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

async fn steps(name: &'static str, n: u32) -> String {
    for _ in 0..n {
        YieldOnce { yielded: false }.await;
    }
    format!("{name}走完 {n} 步")
}

// ANCHOR: drive
/// 轮询一个已经固定的 Future 直到完成，返回结果和轮询次数。
/// poll 按值接收 Pin<&mut F>，所以每次都用 as_mut() 重新借出一个，future 本身留着下次再用。
fn drive<F: Future + ?Sized>(mut future: Pin<&mut F>) -> (F::Output, u32) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return (out, polls);
        }
    }
}
// ANCHOR_END: drive

// ANCHOR: boxed
/// pin! 固定的值不能离开当前作用域；要把固定好的 Future 交出去，就固定在堆上。
/// dyn Future 还让不同类型的 Future 可以放进同一个 Vec。
fn make_job(fast: bool) -> Pin<Box<dyn Future<Output = String>>> {
    if fast {
        Box::pin(async { String::from("快任务直接完成") })
    } else {
        Box::pin(steps("慢任务", 3))
    }
}
// ANCHOR_END: boxed

// ANCHOR: main
fn main() {
    // 还没被轮询的 Future 可以随意移动：放进 Vec、再取出来都没问题。
    let unpolled = vec![steps("本地任务", 2)];
    let future = unpolled.into_iter().next().unwrap();

    // 1. pin!：固定在当前函数里（本地固定），不需要堆分配。
    let pinned: Pin<&mut _> = pin!(future);
    let (out, polls) = drive(pinned);
    println!("pin!：{out}，共轮询 {polls} 次");

    // 2. Box::pin：固定在堆上；移动的只是 Box 这个指针，堆上的 Future 不动。
    let jobs = vec![make_job(false), make_job(true)];
    let mut moved = jobs; // 移动整个 Vec 也没关系
    for job in &mut moved {
        let (out, polls) = drive(job.as_mut());
        println!("Box::pin：{out}，共轮询 {polls} 次");
    }

    // 3. Unpin 的 Future 不需要固定：Pin::new 直接包一个 &mut。
    let mut ready_now = ready(7);
    let (out, polls) = drive(Pin::new(&mut ready_now));
    println!("Pin::new(&mut ready(7))：得到 {out}，共轮询 {polls} 次");

    // Pin<Box<_>> 本身是 Unpin，所以也能再用 Pin::new 包一层 &mut。
    let mut boxed = Box::pin(steps("盒中任务", 1));
    let (out, polls) = drive(Pin::new(&mut boxed));
    println!("Pin::new(&mut Pin<Box<_>>)：{out}，共轮询 {polls} 次");
}
// ANCHOR_END: main
