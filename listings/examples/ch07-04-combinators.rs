//! 示例 7-4：futures 的 StreamExt 组合子，以及它们的惰性。
use futures::future;
use futures::stream::{self, StreamExt};
use std::pin::pin;
use tokio::time::{Duration, Instant, sleep};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    // ANCHOR: chain
    let squares = stream::iter(1..=10)
        // futures 的 filter 要的是“返回 Future<Output = bool> 的闭包”，
        // 判断本身不需要等待时，用 future::ready 包一下。
        .filter(|n| {
            println!("  filter 检查 {n}");
            future::ready(n % 2 == 0)
        })
        .map(|n| n * n)
        // then：每个元素交给闭包，等闭包返回的 Future 完成再交出结果。
        .then(|n| async move {
            sleep(Duration::from_millis(100)).await;
            n + 1
        })
        .take(3);

    // then 里的 async 块不是 Unpin，整条链也就不是；next() 要求 Unpin，先固定在栈上。
    let mut squares = pin!(squares);
    while let Some(x) = squares.next().await {
        println!("{:>3} 毫秒：取得 {x}", start.elapsed().as_millis());
    }
    // ANCHOR_END: chain

    // ANCHOR: consume
    // 消费整条流的组合子返回 Future：fold 的累加函数同样是异步的。
    let sum = stream::iter(1..=4)
        .fold(0, |acc, x| async move { acc + x })
        .await;
    let words: Vec<String> = stream::iter(["流", "是", "惰性的"])
        .map(String::from)
        .collect()
        .await;
    println!("fold 求和：{sum}，collect：{words:?}");
    // ANCHOR_END: consume
}
