//! 示例 14-8：tokio::sync::OnceCell 让初始化本身可以 .await，并且只成功一次。

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::time::{Instant, sleep};

// ANCHOR: client
/// 一个要异步建立的客户端：连接要等 50 ms。
struct Client {
    id: u32,
}

static ATTEMPTS: AtomicU32 = AtomicU32::new(0);

async fn connect() -> Result<Client, String> {
    let n = ATTEMPTS.fetch_add(1, Ordering::SeqCst) + 1;
    sleep(Duration::from_millis(50)).await;
    if n == 1 {
        Err(format!("第 {n} 次连接被拒绝"))
    } else {
        Ok(Client { id: n })
    }
}

// const_new 让它可以放进 static：第一次用到时才连接。
static CLIENT: OnceCell<Client> = OnceCell::const_new();

async fn client() -> Result<&'static Client, String> {
    CLIENT.get_or_try_init(connect).await
}
// ANCHOR_END: client

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for task in 1..=3 {
        set.spawn(async move {
            let result = client().await.map(|c| c.id);
            (task, start.elapsed().as_millis(), result)
        });
    }
    let mut results = set.join_all().await;
    results.sort();
    for (task, ms, result) in results {
        println!("任务 {task}：{ms:>3} ms，{result:?}");
    }
    // 已经初始化：不再连接，也不再等待。
    let again = client().await.map(|c| c.id);
    println!(
        "之后再取：{again:?}，共尝试连接 {} 次",
        ATTEMPTS.load(Ordering::SeqCst)
    );
}
// ANCHOR_END: main
