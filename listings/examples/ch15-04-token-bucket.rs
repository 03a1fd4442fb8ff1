//! 示例 15-4：一个可以被许多任务共享的令牌桶：允许突发 capacity 个，长期平均每 per_token 一个。
use std::sync::Arc;

use tokio::sync::Mutex;
use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, sleep, sleep_until};

// ANCHOR: bucket
pub struct TokenBucket {
    capacity: u32,       // 桶最多攒下多少个令牌：允许的突发
    per_token: Duration, // 每隔多久生成一个令牌：长期的平均速率
    // 异步锁：排队等锁的顺序就是放行的顺序（tokio 的 Mutex 先到先得）。
    state: Mutex<State>,
}

struct State {
    tokens: u32,
    last_refill: Instant,
}

impl TokenBucket {
    pub fn new(capacity: u32, per_token: Duration) -> Self {
        let state = State {
            tokens: capacity, // 开始时桶是满的
            last_refill: Instant::now(),
        };
        TokenBucket {
            capacity,
            per_token,
            state: Mutex::new(state),
        }
    }

    /// 取一个令牌；桶空了就等到下一个令牌生成。
    pub async fn acquire(&self) {
        let mut s = self.state.lock().await;
        self.refill(&mut s);
        if s.tokens == 0 {
            // 持着锁睡：排在后面的本来就要等这个令牌之后的令牌。
            sleep_until(s.last_refill + self.per_token).await;
            self.refill(&mut s);
        }
        s.tokens -= 1;
    }

    /// 按流逝的时间补令牌，最多补到 capacity。
    fn refill(&self, s: &mut State) {
        let now = Instant::now();
        let elapsed = (now - s.last_refill).as_nanos();
        let new = (elapsed / self.per_token.as_nanos()).min(self.capacity.into()) as u32;
        if s.tokens + new >= self.capacity {
            s.tokens = self.capacity; // 满了：多出的时间不再积累
            s.last_refill = now;
        } else {
            s.tokens += new;
            s.last_refill += self.per_token * new; // 不足一个令牌的零头留到下次
        }
    }
}
// ANCHOR_END: bucket

// ANCHOR: main
/// 派生 n 个任务同时请求令牌，按放行顺序打印时刻。
async fn burst(bucket: &Arc<TokenBucket>, ids: std::ops::Range<u32>, start: Instant) {
    let mut tasks = JoinSet::new();
    for id in ids {
        let bucket = bucket.clone();
        tasks.spawn(async move {
            bucket.acquire().await;
            println!("{:>4} ms 放行请求 {id}", start.elapsed().as_millis());
        });
    }
    tasks.join_all().await;
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    // 容量 3，每 250 毫秒一个令牌：突发 3 个，平均每秒 4 个。
    let bucket = Arc::new(TokenBucket::new(3, Duration::from_millis(250)));

    burst(&bucket, 0..8, start).await;
    sleep(Duration::from_secs(2)).await; // 空闲 2 秒，桶重新攒满
    println!("---- 空闲之后 ----");
    burst(&bucket, 8..12, start).await;
}
// ANCHOR_END: main
