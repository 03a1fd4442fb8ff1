//! 示例 7-3：一个靠计时器唤醒的 Stream：poll_next 把唤醒器交给 Sleep。
use futures::StreamExt;
use futures::stream::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::time::{Duration, Instant, Sleep, sleep};

// ANCHOR: ticker
/// 每隔 period 交出一个序号，共 count 个。
struct Ticker {
    sleep: Pin<Box<Sleep>>,
    period: Duration,
    next_seq: u32,
    count: u32,
    polls: u32,
}

impl Ticker {
    fn new(period: Duration, count: u32) -> Self {
        Ticker {
            // Sleep 不是 Unpin，放进 Box 固定在堆上，Ticker 本身就仍是 Unpin。
            sleep: Box::pin(sleep(period)),
            period,
            next_seq: 1,
            count,
            polls: 0,
        }
    }
}

impl Stream for Ticker {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        self.polls += 1;
        if self.next_seq > self.count {
            return Poll::Ready(None);
        }
        // 时间没到时 Sleep 返回 Pending，并已把 cx 里的唤醒器登记到计时器上；
        // ready! 把这个 Pending 原样返回。我们自己不必、也不应再唤醒谁。
        ready!(self.sleep.as_mut().poll(cx));
        // 时间到了：把同一个 Sleep 拨到下一个期限，不必再新建一个。
        let next_deadline = self.sleep.deadline() + self.period;
        self.sleep.as_mut().reset(next_deadline);
        let seq = self.next_seq;
        self.next_seq += 1;
        Poll::Ready(Some(seq))
    }
}
// ANCHOR_END: ticker

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let start = Instant::now();
    let mut ticker = Ticker::new(Duration::from_millis(100), 3);
    // Ticker 是 Unpin，可以直接调用 next()。
    while let Some(seq) = ticker.next().await {
        println!(
            "{:>3} 毫秒：第 {seq} 拍，poll_next 累计被调用 {} 次",
            start.elapsed().as_millis(),
            ticker.polls
        );
    }
    println!(
        "{:>3} 毫秒：流结束，poll_next 累计被调用 {} 次",
        start.elapsed().as_millis(),
        ticker.polls
    );
    // ANCHOR_END: main
}
