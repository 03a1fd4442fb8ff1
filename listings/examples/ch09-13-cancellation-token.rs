use tokio::time::{Duration, Instant, sleep};
use tokio_util::sync::CancellationToken;

async fn long_running_task() {
    sleep(Duration::from_secs(60)).await;
}

// ANCHOR: no_wait
// 错误的写法：取消之后立即返回，不等任务收尾。
async fn cancel_without_waiting(token: CancellationToken) {
    let child = token.child_token();
    tokio::spawn(async move {
        tokio::select! {
            _ = child.cancelled() => println!("任务被取消"),
            _ = long_running_task() => println!("任务完成"),
        }
    });
    sleep(Duration::from_secs(5)).await;
    token.cancel();
}
// ANCHOR_END: no_wait

// ANCHOR: fixed
async fn with_cancellation() {
    let start = Instant::now();
    let token = CancellationToken::new();
    let child = token.child_token();

    let handle = tokio::spawn(async move {
        tokio::select! {
            _ = child.cancelled() => {
                // 在这里做收尾：刷新缓冲、回复调用方……
                println!("任务被取消（{} 秒）", start.elapsed().as_secs());
            }
            _ = long_running_task() => println!("任务完成"),
        }
    });

    sleep(Duration::from_secs(5)).await;
    token.cancel();
    // 等任务真正结束：它要被再轮询一次，才能看到取消并执行收尾。
    handle.await.unwrap();
    println!("with_cancellation 返回（{} 秒）", start.elapsed().as_secs());
}
// ANCHOR_END: fixed

// ANCHOR: tree
fn token_tree() {
    let parent = CancellationToken::new();
    let child = parent.child_token();
    let other = parent.child_token();

    child.cancel(); // 取消子令牌不影响父令牌和兄弟
    println!(
        "取消 child 后：parent={}, other={}",
        parent.is_cancelled(),
        other.is_cancelled()
    );

    parent.cancel(); // 取消父令牌会传到所有子令牌
    println!("取消 parent 后：other={}", other.is_cancelled());
}
// ANCHOR_END: tree

fn main() {
    // ANCHOR: run
    let paused_runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    };

    println!("== 不等任务 ==");
    let rt = paused_runtime();
    rt.block_on(cancel_without_waiting(CancellationToken::new()));
    // block_on 返回后任务再也没有被轮询；关闭运行时把它直接丢弃，“任务被取消”不会打印。
    drop(rt);

    println!("== 等待任务 ==");
    paused_runtime().block_on(with_cancellation());

    println!("== 令牌树 ==");
    token_tree();
    // ANCHOR_END: run
}
