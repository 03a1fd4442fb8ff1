//! 示例 11-7：纯计算的循环不碰 Tokio 的资源，预算管不到它；
//! 要让出，得自己调用 yield_now 或 consume_budget。

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::task::{self, coop};

const STEPS: usize = 1_000;

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// 从不让出
    Plain,
    /// 每 100 步调用一次 yield_now
    YieldEvery100,
    /// 每一步调用一次 consume_budget
    ConsumeBudget,
}

// ANCHOR: crunch
async fn crunch(progress: Arc<AtomicUsize>, mode: Mode) {
    for step in 1..=STEPS {
        // 每一步开始前扣一份预算：预算用完了，这里才返回 Pending
        if let Mode::ConsumeBudget = mode {
            coop::consume_budget().await;
        }
        // 这一步的“计算”：不碰任何 Tokio 的资源
        progress.store(step, Ordering::Relaxed);
        // 每做完 100 步让出一次
        if let Mode::YieldEvery100 = mode
            && step % 100 == 0
        {
            task::yield_now().await;
        }
    }
}
// ANCHOR_END: crunch

// ANCHOR: main
/// 先派生计算任务，再派生一个只看一眼进度的任务。
async fn observe(mode: Mode) -> usize {
    let progress = Arc::new(AtomicUsize::new(0));
    let worker = tokio::spawn(crunch(progress.clone(), mode));
    let seen = tokio::spawn(async move { progress.load(Ordering::Relaxed) })
        .await
        .unwrap();
    worker.await.unwrap();
    seen
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    for mode in [Mode::Plain, Mode::YieldEvery100, Mode::ConsumeBudget] {
        println!(
            "{mode:?}：另一个任务运行时，计算做到了第 {} 步",
            observe(mode).await
        );
    }
}
// ANCHOR_END: main
