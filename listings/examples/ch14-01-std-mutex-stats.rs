//! 示例 14-1：锁只在同步方法里持有，std::sync::Mutex 就是正确的选择。

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

// ANCHOR: stats
/// 各路径的访问计数。锁藏在结构体里，只在同步方法内部加锁：
/// 守卫不可能跨过任何 .await，调用者也不必知道里面有一把锁。
#[derive(Clone, Default)]
struct Stats {
    hits: Arc<Mutex<HashMap<String, u64>>>,
}

impl Stats {
    /// 记一次访问，返回这个路径的新计数。
    fn record(&self, path: &str) -> u64 {
        let mut hits = self.hits.lock().unwrap();
        let n = hits.entry(path.to_string()).or_insert(0);
        *n += 1;
        *n
    } // 守卫在这里被丢弃，锁随之释放

    /// 按路径排好序的一份拷贝：拷贝出去再慢慢用，不在锁里做。
    fn snapshot(&self) -> BTreeMap<String, u64> {
        let hits = self.hits.lock().unwrap();
        hits.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}
// ANCHOR_END: stats

// ANCHOR: handler
/// 一个请求处理函数：先计数，再去做真正要等待的事（这里用让出代替写响应）。
/// 它的 Future 只保存 &Stats 和 &str，都是 Send，可以交给 tokio::spawn。
async fn handle(stats: &Stats, path: &str) {
    stats.record(path);
    tokio::task::yield_now().await;
}

fn main() {
    // 多线程运行时：4 个任务真的可能在 2 个工作线程上同时加锁。
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let stats = Stats::default();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for task in 0..4 {
            let stats = stats.clone();
            set.spawn(async move {
                let paths = ["/", "/api/orders", "/api/users"];
                for i in 0..3000 {
                    // 每个任务的访问顺序不同，但总数是确定的。
                    handle(&stats, paths[(i + task) % paths.len()]).await;
                }
            });
        }
        set.join_all().await;
    });
    let snapshot = stats.snapshot();
    for (path, n) in &snapshot {
        println!("{path:<12} {n} 次");
    }
    println!("合计 {} 次", snapshot.values().sum::<u64>());
}
// ANCHOR_END: handler
