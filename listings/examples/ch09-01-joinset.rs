use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

// 暂停的时钟让 sleep 只推进虚拟时间：输出确定，程序也瞬间结束。
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    // ANCHOR: joinset
    let mut set = JoinSet::new();

    // 倒序加入：第 9 号任务最先加入，却最晚完成。
    for i in (0..10u64).rev() {
        set.spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 100)).await;
            i
        });
    }
    println!("已加入 {} 个任务", set.len());

    // join_next 按完成顺序交出结果，而不是按加入顺序。
    while let Some(result) = set.join_next().await {
        match result {
            Ok(value) => println!(
                "完成：{value}（虚拟时间 {} ms）",
                start.elapsed().as_millis()
            ),
            Err(e) => println!("任务失败：{e}"),
        }
    }
    println!("集合已空：{}", set.is_empty());
    // ANCHOR_END: joinset
}
