use rayon::prelude::*;

// 一个确定的、纯计算的函数：x 的 Collatz 序列走到 1 需要多少步。
fn expensive_cpu_work(x: u64) -> u64 {
    let (mut n, mut steps) = (x, 0);
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

// ANCHOR: blocking
async fn process_data(data: Vec<u64>) -> Vec<u64> {
    // spawn_blocking 占用阻塞线程池的一个线程，rayon 在它的全局线程池里并行计算；
    // collect 保持输入顺序，所以结果是确定的。
    tokio::task::spawn_blocking(move || data.par_iter().map(|&x| expensive_cpu_work(x)).collect())
        .await
        .unwrap()
}
// ANCHOR_END: blocking

// ANCHOR: oneshot
async fn process_data_oneshot(data: Vec<u64>) -> Vec<u64> {
    // 不占用阻塞线程池：把整个计算交给 rayon，再用 oneshot 通道把结果送回 Tokio。
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let result = data.par_iter().map(|&x| expensive_cpu_work(x)).collect();
        let _ = tx.send(result); // 接收方已放弃时，结果直接丢掉
    });
    rx.await.unwrap()
}
// ANCHOR_END: oneshot

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let data: Vec<u64> = (1..=10).collect();
    println!(
        "spawn_blocking + rayon：{:?}",
        process_data(data.clone()).await
    );
    println!(
        "rayon::spawn + oneshot：{:?}",
        process_data_oneshot(data).await
    );
}
