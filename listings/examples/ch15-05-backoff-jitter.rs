//! 示例 15-5：指数退避加抖动的重试；只重试暂时性的错误。
//!
//! 抖动用的随机数来自一个写死种子的 xorshift 生成器，输出因此每次相同。
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;

use futures::future::join_all;
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: rng
/// xorshift64（Marsaglia, 2003）：三次移位异或，够用来打散重试时刻，不能用于密码学。
/// 真实程序用随机的种子（例如 rand crate，或者标准库 RandomState 的随机哈希键）；
/// 这里写死种子，是为了让输出可以逐字核对。
struct XorShift64(u64);

impl XorShift64 {
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// [0, max] 之间的一段时长（毫秒精度）。
    fn up_to(&mut self, max: Duration) -> Duration {
        let ms = max.as_millis() as u64;
        Duration::from_millis(self.next_u64() % (ms + 1))
    }
}
// ANCHOR_END: rng

// ANCHOR: policy
#[derive(Debug, Clone, Copy, PartialEq)]
enum CallError {
    Unavailable, // 503：服务暂时不可用，稍后再试可能成功
    BadRequest,  // 400：请求本身有问题，再试多少次都一样
}

impl CallError {
    fn is_transient(self) -> bool {
        matches!(self, CallError::Unavailable)
    }
}

struct Backoff {
    base: Duration,    // 第一次重试前等待的上限
    max: Duration,     // 单次等待的上限
    max_attempts: u32, // 包括第一次在内，最多尝试几次
    jitter: bool,
}

impl Backoff {
    /// 第 n 次重试（n 从 0 数）之前等多久：上限 base × 2ⁿ，封顶 max；
    /// 加抖动时在 [0, 上限] 里均匀地取一个值（“全抖动”）。
    fn delay(&self, n: u32, rng: &mut XorShift64) -> Duration {
        let cap = self.base.saturating_mul(1 << n.min(16)).min(self.max);
        if self.jitter { rng.up_to(cap) } else { cap }
    }
}
// ANCHOR_END: policy

// ANCHOR: retry
/// op 每次被调用都造出一个新的 Future：一次尝试就是一个新的请求。
async fn retry<T, F, Fut>(policy: &Backoff, rng: &mut XorShift64, mut op: F) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, CallError>>,
{
    let mut n = 0;
    loop {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_transient() && n + 1 < policy.max_attempts => {
                sleep(policy.delay(n, rng)).await;
                n += 1;
            }
            Err(e) => return Err(e), // 永久性错误，或者次数用完
        }
    }
}
// ANCHOR_END: retry

/// 一个进程内的“服务器”：600 毫秒之前一直不可用。
struct Server {
    start: Instant,
    up_at: Duration,
}

impl Server {
    async fn call(&self, valid: bool) -> Result<&'static str, CallError> {
        if !valid {
            Err(CallError::BadRequest)
        } else if self.start.elapsed() < self.up_at {
            Err(CallError::Unavailable)
        } else {
            Ok("200 OK")
        }
    }
}

// ANCHOR: main
async fn run(jitter: bool) {
    let server = Server {
        start: Instant::now(),
        up_at: Duration::from_millis(600),
    };
    let policy = Backoff {
        base: Duration::from_millis(100),
        max: Duration::from_secs(2),
        max_attempts: 6,
        jitter,
    };
    // 四个客户端在同一个任务里并发（join_all），各有一个生成器，种子不同但写死。
    let clients = ["A", "B", "C", "D"]
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let (server, policy) = (&server, &policy);
            async move {
                let mut rng = XorShift64(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
                let valid = name != "D"; // D 发的是一个坏请求
                let tries = RefCell::new(Vec::new());
                let result = retry(policy, &mut rng, || {
                    tries.borrow_mut().push(server.start.elapsed().as_millis());
                    server.call(valid)
                })
                .await;
                (name, tries.into_inner(), result)
            }
        });
    // 统计重试（不算每个客户端的第一次尝试）落在同一毫秒的个数。
    let mut retries_at: BTreeMap<u128, u32> = BTreeMap::new();
    for (name, tries, result) in join_all(clients).await {
        println!("  客户端 {name}：尝试于 {tries:?} 毫秒 → {result:?}");
        for &t in &tries[1..] {
            *retries_at.entry(t).or_default() += 1;
        }
    }
    let peak = retries_at.values().copied().max().unwrap();
    println!("  同一毫秒里到达服务器的重试最多 {peak} 个");
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("== 只有指数退避 ==");
    run(false).await;
    println!("== 指数退避加全抖动 ==");
    run(true).await;
}
// ANCHOR_END: main
