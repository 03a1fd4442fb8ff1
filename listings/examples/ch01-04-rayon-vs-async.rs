//! 示例 1-4：CPU 密集的工作交给并行（rayon），不是交给异步。
use rayon::prelude::*;

// ANCHOR: cpu
/// 纯计算：中间没有任何挂起点（.await），也就没有机会让出线程。
fn sum_of_squares(range: std::ops::Range<u64>) -> u64 {
    range.map(|x| x * x).sum()
}
// ANCHOR_END: cpu

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    const N: u64 = 1_000_000;

    // 异步：两个 CPU 密集的 Future 放进 join!，它们仍然一个接一个地跑完，
    // 因为 Future 只能在挂起点（.await）让出线程，而纯计算里没有挂起点。
    let job = |name: &'static str| async move {
        println!("{name} 开始");
        let sum = sum_of_squares(0..N);
        println!("{name} 结束");
        sum
    };
    let (a, b) = tokio::join!(job("异步任务甲"), job("异步任务乙"));

    // 并行：rayon 把区间切成小块，分给线程池里的多个线程同时计算。
    let parallel: u64 = (0..N).into_par_iter().map(|x| x * x).sum();
    let sequential = sum_of_squares(0..N);

    println!("异步结果：{a}，{b}");
    println!(
        "并行结果：{parallel}，与顺序计算相同：{}",
        parallel == sequential
    );
}
// ANCHOR_END: main
