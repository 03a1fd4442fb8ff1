//! 示例 2-8：被轮询不等于被唤醒。把“再次被轮询”当成“事件已经发生”的 Future，
//! 放进 join! 里就会提前完成；每次轮询都检查条件的 Future 不受影响。
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::time::{Instant, sleep};

fn log(start: Instant, what: &str) {
    println!("t = {:>3} ms  {what}", start.elapsed().as_millis());
}

fn log_poll(start: Instant, who: &str, polls: u32, what: &str) {
    log(start, &format!("{who} 第 {polls} 次被轮询：{what}"));
}

// ANCHOR: slot
/// 送货方与等待方共享的格子：值送到时放进来，再唤醒存在这里的唤醒器。
#[derive(Default)]
struct Slot {
    value: Option<u32>,
    waker: Option<Waker>,
}

async fn deliver_later(slot: Arc<Mutex<Slot>>, start: Instant) {
    sleep(Duration::from_millis(100)).await;
    log(start, "送货方：送来 42，唤醒存着的唤醒器");
    let waker = {
        let mut slot = slot.lock().unwrap();
        slot.value = Some(42);
        slot.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// 同一个任务里的另一个分支：10 ms 后它的计时器到期，唤醒整个任务。
async fn other_branch(start: Instant) {
    sleep(Duration::from_millis(10)).await;
    log(start, "另一个分支：计时器到期");
}
// ANCHOR_END: slot

// ANCHOR: wrong
/// 坏做法（故意写错）：以为“第二次被轮询”就说明值已经送到。
struct AssumesWoken {
    slot: Arc<Mutex<Slot>>,
    polls: u32,
    start: Instant,
}

impl Future for AssumesWoken {
    type Output = Option<u32>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        let this = self.get_mut();
        this.polls += 1;
        let (start, n) = (this.start, this.polls);
        let mut slot = this.slot.lock().unwrap();
        if n > 1 {
            // 错在这里：没有检查条件，就认定自己是被唤醒的。
            log_poll(start, "AssumesWoken", n, "返回 Ready");
            return Poll::Ready(slot.value.take());
        }
        slot.waker = Some(cx.waker().clone());
        log_poll(start, "AssumesWoken", n, "存好唤醒器，返回 Pending");
        Poll::Pending
    }
}
// ANCHOR_END: wrong

// ANCHOR: right
/// 正确的写法：每次被轮询都检查条件；条件不满足，就存好这次的唤醒器，继续 Pending。
struct WaitForValue {
    slot: Arc<Mutex<Slot>>,
    polls: u32,
    start: Instant,
}

impl Future for WaitForValue {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let this = self.get_mut();
        this.polls += 1;
        let (start, n) = (this.start, this.polls);
        let mut slot = this.slot.lock().unwrap();
        if let Some(value) = slot.value.take() {
            log_poll(start, "WaitForValue", n, "返回 Ready");
            return Poll::Ready(value);
        }
        // 只有最近一次 poll 传入的唤醒器需要被唤醒，所以每次都换成它。
        slot.waker = Some(cx.waker().clone());
        log_poll(start, "WaitForValue", n, "值还没到，返回 Pending");
        Poll::Pending
    }
}
// ANCHOR_END: right

// ANCHOR: main
/// 三个分支放在同一个任务里：任何一个分支的唤醒，都会让 join! 再轮询所有未完成的分支。
/// biased：join! 每次都按书写顺序轮询，输出的顺序因此固定。
async fn wrong() -> Option<u32> {
    let (start, slot) = (Instant::now(), Arc::new(Mutex::new(Slot::default())));
    let ((), (), got) = tokio::join!(
        biased;
        other_branch(start),
        deliver_later(slot.clone(), start),
        AssumesWoken { slot, polls: 0, start },
    );
    got
}

async fn right() -> u32 {
    let (start, slot) = (Instant::now(), Arc::new(Mutex::new(Slot::default())));
    let ((), (), got) = tokio::join!(
        biased;
        other_branch(start),
        deliver_later(slot.clone(), start),
        WaitForValue { slot, polls: 0, start },
    );
    got
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // 两种写法各在自己派生的任务里运行，彼此的唤醒不会串到对方那里。
    println!("错误的写法：");
    let got = tokio::spawn(wrong()).await.unwrap();
    println!("结果：{got:?}");

    println!("正确的写法：");
    let got = tokio::spawn(right()).await.unwrap();
    println!("结果：{got:?}");
}
// ANCHOR_END: main
