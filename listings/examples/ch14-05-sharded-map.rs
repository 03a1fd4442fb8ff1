//! 示例 14-5：把一个 Mutex<HashMap> 拆成若干分片，每个键只锁它所在的那一片。

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

// ANCHOR: map
/// 一个分片。对齐到 128 字节，让相邻两片的锁不落在同一条缓存行上：
/// 否则两个线程各锁各的分片，仍要争抢同一条缓存行（伪共享）。
#[repr(align(128))]
struct Shard<V>(Mutex<HashMap<String, V>>);

pub struct ShardedMap<V> {
    shards: Box<[Shard<V>]>,
    // 每个 map 一个随机种子：外部无法构造出全落在同一片里的键。
    hasher: RandomState,
}

impl<V: Clone> ShardedMap<V> {
    pub fn new(shards: usize) -> Self {
        assert!(shards > 0, "至少要有一个分片");
        ShardedMap {
            shards: (0..shards)
                .map(|_| Shard(Mutex::new(HashMap::new())))
                .collect(),
            hasher: RandomState::new(),
        }
    }

    /// 键决定分片：同一个键永远落在同一片，不同的键大致均匀地散开。
    fn shard(&self, key: &str) -> &Mutex<HashMap<String, V>> {
        let hash = self.hasher.hash_one(key);
        &self.shards[hash as usize % self.shards.len()].0
    }

    pub fn get(&self, key: &str) -> Option<V> {
        self.shard(key).lock().unwrap().get(key).cloned()
    }

    pub fn insert(&self, key: &str, value: V) -> Option<V> {
        self.shard(key)
            .lock()
            .unwrap()
            .insert(key.to_string(), value)
    }

    /// 读—改—写在同一次加锁里完成，对这一个键是原子的。
    pub fn update(&self, key: &str, init: V, f: impl FnOnce(&mut V)) {
        let mut shard = self.shard(key).lock().unwrap();
        match shard.get_mut(key) {
            Some(v) => f(v),
            None => {
                let mut v = init;
                f(&mut v);
                shard.insert(key.to_string(), v);
            }
        }
    }

    /// 逐片加锁求和。各片不是同时锁住的：别的任务还在写时，
    /// 这个数不对应任何一个时刻的整张表。跨分片的操作都有这个代价。
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.0.lock().unwrap().len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.0.lock().unwrap().is_empty())
    }
}
// ANCHOR_END: map

// ANCHOR: main
fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let map = std::sync::Arc::new(ShardedMap::new(16));
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for task in 0..4 {
            let map = map.clone();
            set.spawn(async move {
                for i in 0..10_000 {
                    let key = format!("user-{}", (i * 7 + task) % 100);
                    map.update(&key, 0u64, |n| *n += 1);
                    if i % 64 == 63 {
                        tokio::task::yield_now().await;
                    }
                }
            });
        }
        set.join_all().await;
    });
    // 所有任务都已结束，这时的 len 和计数才是确定的。
    let total: u64 = (0..100)
        .map(|k| map.get(&format!("user-{k}")).unwrap())
        .sum();
    println!(
        "键：{} 个，计数合计：{total}，空表：{}",
        map.len(),
        map.is_empty()
    );
    println!(
        "user-0：{}，user-99：{}",
        map.get("user-0").unwrap(),
        map.get("user-99").unwrap()
    );
    println!("不存在的键：{:?}", map.get("nobody"));
    let old = map.insert("user-0", 0);
    println!("insert 覆盖了旧值 {old:?}");
}
// ANCHOR_END: main
