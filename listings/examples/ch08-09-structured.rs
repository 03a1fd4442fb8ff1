use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, sleep, timeout};

struct Noisy(String);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("    析构 {}", self.0);
    }
}

/// 要工作 2 秒的子 Future。
async fn child(group: &str, name: &str, start: Instant) {
    let _res = Noisy(format!("{group} 的{name}"));
    sleep(Duration::from_secs(2)).await;
    let ms = start.elapsed().as_millis();
    println!("  {ms} ms  {group} 的{name}完成");
}

// ANCHOR: parents
async fn parent_join(start: Instant) {
    let group = String::from("join!"); // 子 Future 可以借用父 Future 的局部变量
    tokio::join!(child(&group, "子 1", start), child(&group, "子 2", start));
}

async fn parent_spawn(start: Instant) {
    // spawn 要求 'static：子任务必须拥有自己用到的一切
    let handle = tokio::spawn(async move { child("spawn", "子任务", start).await });
    handle.await.unwrap();
}

async fn parent_join_set(start: Instant) {
    let mut set = JoinSet::new();
    set.spawn(async move { child("JoinSet", "子 1", start).await });
    set.spawn(async move { child("JoinSet", "子 2", start).await });
    while set.join_next().await.is_some() {}
}
// ANCHOR_END: parents

// ANCHOR: cancel_parent
/// 1 秒后取消父 Future（丢弃它），再观察 3 秒。
async fn cancel_parent<F: Future<Output = ()>>(name: &str, parent: impl FnOnce(Instant) -> F) {
    println!("== {name} ==");
    let start = Instant::now();
    let _ = timeout(Duration::from_secs(1), parent(start)).await;
    println!("  {} ms  父 Future 已被丢弃", start.elapsed().as_millis());
    sleep(Duration::from_secs(3)).await;
}
// ANCHOR_END: cancel_parent

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    cancel_parent("join!", parent_join).await;
    cancel_parent("spawn", parent_spawn).await;
    cancel_parent("JoinSet", parent_join_set).await;
    // ANCHOR_END: main
}
