//! 示例 14-12（基准测试）：同一个计数表，一把锁、分片、Actor 三种共享方式，各自每次操作的耗时。
//!
//! 完整测量：`cargo run --release --example ch14-12-bench-shared-map`
//! （`BOOK_BENCH=smoke` 时只跑很少几轮，测试用它确认程序能运行）。
//! 每行 `名字 = 数值` 是一个结果，`cargo xtask bench` 收集这些行。

#[path = "ch14-05-sharded-map.rs"]
#[allow(dead_code)]
mod sharded;

#[path = "ch14-11-actor-handle.rs"]
#[allow(dead_code)]
mod actor;

#[path = "bench-support/rounds.rs"]
mod rounds;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use actor::StatsHandle;
use sharded::ShardedMap;

// ANCHOR: store
/// 三种共享方式，同一组操作：读一个计数，或给它加一。
#[derive(Clone)]
enum Store {
    /// 一把锁保护整张表。
    Single(Arc<Mutex<HashMap<String, u64>>>),
    /// 示例 14-5 的分片表。
    Sharded(Arc<ShardedMap<u64>>),
    /// 示例 14-11 的 Actor 句柄。
    Actor(StatsHandle),
}

impl Store {
    async fn get(&self, key: &str) -> Option<u64> {
        match self {
            Store::Single(m) => m.lock().unwrap().get(key).copied(),
            Store::Sharded(m) => m.get(key),
            Store::Actor(h) => h.get(key).await,
        }
    }

    async fn increment(&self, key: &str) {
        match self {
            Store::Single(m) => *m.lock().unwrap().get_mut(key).unwrap() += 1,
            Store::Sharded(m) => m.update(key, 0, |n| *n += 1),
            Store::Actor(h) => {
                h.record(key).await;
            }
        }
    }
}
// ANCHOR_END: store

// ANCHOR: measure
/// 8 个任务各做 `per_task` 次操作：每 4 次里 1 次加一、3 次读。返回每次操作的纳秒数。
fn run(
    rt: &tokio::runtime::Runtime,
    store: &Store,
    keys: &Arc<Vec<String>>,
    per_task: usize,
) -> f64 {
    const TASKS: usize = 8;
    let start = Instant::now();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for task in 0..TASKS {
            let (store, keys) = (store.clone(), keys.clone());
            set.spawn(async move {
                let mut sum = 0;
                for i in 0..per_task {
                    // 每个任务按不同的步长走遍所有键。
                    let key = &keys[(i * 31 + task * 97) % keys.len()];
                    if i % 4 == 0 {
                        store.increment(key).await;
                    } else {
                        sum += store.get(key).await.unwrap_or(0);
                    }
                    // 与示例 21-3 一样，每 64 次让出一次（Actor 的请求本来就会让出）。
                    if i % 64 == 63 {
                        tokio::task::yield_now().await;
                    }
                }
                black_box(sum);
            });
        }
        set.join_all().await;
    });
    start.elapsed().as_nanos() as f64 / (TASKS * per_task) as f64
}
// ANCHOR_END: measure

// ANCHOR: main
fn main() {
    let ops = if rounds::full() { 400_000 } else { 2_000 };
    let keys: Arc<Vec<String>> = Arc::new((0..1024).map(|i| format!("key-{i:04}")).collect());
    println!("# 每次操作（读或加一）的纳秒数，8 个任务");
    for workers in [1, 2] {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .build()
            .unwrap();
        // 三种表都预先放好全部的键。
        let single = Arc::new(Mutex::new(HashMap::new()));
        let sharded = Arc::new(ShardedMap::new(16));
        for k in keys.iter() {
            single.lock().unwrap().insert(k.clone(), 0);
            sharded.insert(k, 0);
        }
        let (handle, actor) = rt.block_on(async { StatsHandle::spawn(64) });
        rt.block_on(async {
            for k in keys.iter() {
                handle.record(k).await;
            }
        });
        let stores = [
            Store::Single(single),
            Store::Sharded(sharded),
            Store::Actor(handle),
        ];
        let names = ["single", "sharded", "actor"].map(|v| format!("shared_map.w{workers}.{v}_ns"));
        // 三种方式逐轮交替，轮流先测。
        rounds::interleave(&names, |i| run(&rt, &stores[i], &keys, ops / 8));
        // 句柄都已丢弃，Actor 的邮箱关闭，它自己结束。
        drop(stores);
        rt.block_on(actor).unwrap();
    }
}
// ANCHOR_END: main
