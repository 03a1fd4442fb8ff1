//! 示例 6-9：异步闭包返回的 Future 可以借用闭包捕获的状态，也可以借用参数。

use std::time::Duration;

// ANCHOR: retry
// AsyncFnMut：每次调用得到的 Future 可以可变地借用闭包自己（和它捕获的变量）。
async fn retry(
    times: u32,
    mut op: impl AsyncFnMut() -> Result<u32, String>,
) -> Result<u32, String> {
    let mut last = Err("一次也没有尝试".to_string());
    for _ in 0..times {
        last = op().await;
        if last.is_ok() {
            break;
        }
    }
    last
}
// ANCHOR_END: retry

// ANCHOR: hrtb
// AsyncFn(&str)：返回的 Future 还可以借用这次调用的参数，
// 写成 Fn(&str) -> Fut 时 Fut 是同一个类型，无法带上每次调用各不相同的生命周期。
async fn total_len(lines: &[String], measure: impl AsyncFn(&str) -> usize) -> usize {
    let mut total = 0;
    for line in lines {
        total += measure(line).await;
    }
    total
}
// ANCHOR_END: hrtb

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: call
    let mut log: Vec<String> = Vec::new();
    let result = retry(3, async || {
        log.push(format!("第 {} 次尝试", log.len() + 1));
        tokio::time::sleep(Duration::from_millis(100)).await;
        if log.len() < 3 {
            Err("超时".to_string())
        } else {
            Ok(42)
        }
    })
    .await;
    // 闭包已经随 retry 结束而被丢弃，对 log 的可变借用也随之结束。
    println!("结果：{result:?}");
    println!("记录：{log:?}");
    // ANCHOR_END: call

    // ANCHOR: call_hrtb
    let lines = vec!["异步".to_string(), "closure".to_string()];
    let total = total_len(&lines, async |line: &str| {
        tokio::time::sleep(Duration::from_millis(10)).await;
        line.chars().count()
    })
    .await;
    println!("字符总数：{total}");
    // ANCHOR_END: call_hrtb
}
