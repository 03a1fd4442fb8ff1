use std::time::Duration;

use tokio::task::JoinSet;

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: abort
    let mut set = JoinSet::new();
    for i in 0..10u64 {
        set.spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 100)).await;
            i
        });
    }

    // 只要最先完成的 3 个结果。
    let mut first = Vec::new();
    while first.len() < 3 {
        match set.join_next().await {
            Some(Ok(value)) => first.push(value),
            Some(Err(e)) => println!("任务失败：{e}"),
            None => break,
        }
    }
    println!("最先完成的 3 个：{first:?}");
    println!("还在运行的任务：{}", set.len());

    // abort_all 只是发出取消请求，任务仍留在集合里；
    // 继续 join_next，直到集合为空，才算等它们真正结束。
    set.abort_all();
    let mut cancelled = 0;
    while let Some(result) = set.join_next().await {
        if let Err(e) = result
            && e.is_cancelled()
        {
            cancelled += 1;
        }
    }
    println!("被取消的任务：{cancelled}");
    // ANCHOR_END: abort

    // ANCHOR: shutdown
    // shutdown = abort_all + 循环 join_next，并丢弃所有结果。
    let mut set = JoinSet::new();
    for i in 0..5u64 {
        set.spawn(async move {
            tokio::time::sleep(Duration::from_secs(i + 1)).await;
        });
    }
    set.shutdown().await;
    println!("shutdown 之后集合为空：{}", set.is_empty());
    // ANCHOR_END: shutdown
}
