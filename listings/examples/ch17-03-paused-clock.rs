//! 示例 17-3 是一组测试，用 `cargo test --example ch17-03-paused-clock` 运行。
#![cfg_attr(not(test), allow(dead_code))]

use std::time::Duration;

// ANCHOR: retry
/// 被测的代码：失败就等一会儿再试，等待时间每次翻倍（1 秒、2 秒、4 秒……）。
async fn retry_with_backoff<F, Fut>(mut attempt: F, max_attempts: u32) -> Result<u32, String>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<u32, String>>,
{
    let mut delay = Duration::from_secs(1);
    for n in 1..=max_attempts {
        match attempt(n).await {
            Ok(v) => return Ok(v),
            Err(e) if n == max_attempts => return Err(e),
            Err(_) => {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
    }
    unreachable!("max_attempts 至少为 1")
}
// ANCHOR_END: retry

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-03-paused-clock");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::oneshot;
    use tokio::time::{Instant, timeout};

    // ANCHOR: tests
    // 第 4 次才成功：中间等了 1 + 2 + 4 = 7 秒虚拟时间，测试本身瞬间结束。
    #[tokio::test(start_paused = true)]
    async fn backoff_waits_one_two_four_seconds() {
        let start = Instant::now();
        let mut seen = Vec::new();
        let result = retry_with_backoff(
            |n| {
                seen.push(start.elapsed().as_secs());
                async move {
                    if n < 4 {
                        Err(format!("第 {n} 次失败"))
                    } else {
                        Ok(n)
                    }
                }
            },
            5,
        )
        .await;
        assert_eq!(result, Ok(4));
        assert_eq!(seen, [0, 1, 3, 7]);
    }

    // 超时在虚拟时间的第 5 秒整触发，不早也不晚。
    #[tokio::test(start_paused = true)]
    async fn timeout_fires_at_the_exact_instant() {
        let start = Instant::now();
        let slow = tokio::time::sleep(Duration::from_secs(10));
        assert!(timeout(Duration::from_secs(5), slow).await.is_err());
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }

    // 自动推进：所有任务都在等、没有事可做时，时钟直接跳到最近的那个计时器。
    #[tokio::test(start_paused = true)]
    async fn idle_runtime_jumps_to_the_next_timer() {
        let start = Instant::now();
        let (tx, rx) = oneshot::channel();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(90)).await;
            let _ = tx.send("过期");
        });
        // 测试只是在等一个通道，并没有 sleep；时钟却前进了 90 秒。
        assert_eq!(rx.await, Ok("过期"));
        assert_eq!(start.elapsed(), Duration::from_secs(90));
    }
    // ANCHOR_END: tests
}
