//! 示例 19-4：迷你 Redis 的共享数据库：键值、过期时间、发布订阅的频道。
//!
//! 第 14 章的做法：锁藏在只有同步方法的结构体里，守卫不可能跨过调用者的 `.await`。
//! 示例 19-5、19-6 把这个文件当作模块 `db` 引入。
//!
//! 运行：`cargo run --example ch19-04-db`（单线程运行时、暂停的时钟，输出每次相同）

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use tokio::sync::{Notify, broadcast};
use tokio::time::{Duration, Instant, sleep_until};

/// 一个频道的广播缓冲区能放多少条消息。订阅者落后超过这么多条，最旧的消息对它就丢了。
const CHANNEL_CAPACITY: usize = 1024;

// ANCHOR: types
/// 数据库的句柄：克隆它只是多一个 `Arc`，每个连接一份。
#[derive(Clone)]
pub struct Db {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// 出现了比原来更早的过期时刻：叫醒清理任务，让它重新决定睡到什么时候。
    purge: Notify,
}

#[derive(Default)]
struct State {
    entries: HashMap<Bytes, Entry>,
    /// 按过期时刻排序的（时刻，键）：清理任务只看最前面的。
    expirations: BTreeSet<(Instant, Bytes)>,
    /// 每个有人订阅的频道一个广播发送端。
    channels: HashMap<Bytes, broadcast::Sender<Bytes>>,
}

struct Entry {
    value: Bytes,
    expires_at: Option<Instant>,
}

impl Entry {
    /// 过期了但清理任务还没删的键，读写时一律当作不存在（惰性过期）。
    fn live(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|t| t > now)
    }
}
// ANCHOR_END: types

// ANCHOR: insert
impl State {
    /// 写入一个键并维护过期索引。返回 true：新的过期时刻比原来最早的还早，要叫醒清理任务。
    fn insert(&mut self, key: &[u8], value: Bytes, expires_at: Option<Instant>) -> bool {
        let key = match self.entries.get_key_value(key) {
            Some((k, _)) => k.clone(), // 已有的键：只增加引用计数
            None => Bytes::copy_from_slice(key),
        };
        let old = self
            .entries
            .insert(key.clone(), Entry { value, expires_at });
        if let Some(when) = old.and_then(|e| e.expires_at) {
            self.expirations.remove(&(when, key.clone()));
        }
        let Some(when) = expires_at else {
            return false;
        };
        let earliest = self.expirations.first().is_none_or(|(t, _)| when < *t);
        self.expirations.insert((when, key));
        earliest
    }
}
// ANCHOR_END: insert

// ANCHOR: methods
/// 按 Redis 的规则把字节串读成 i64：可选的负号加十进制数字。标准库的 `parse` 还接受
/// `+5`、`007`、`-0`，Redis 不接受，这里也不接受。
pub fn parse_int(s: &[u8]) -> Option<i64> {
    let canonical = match s.strip_prefix(b"-").unwrap_or(s) {
        [b'0'] => s.len() == 1,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    canonical.then(|| std::str::from_utf8(s).ok()?.parse().ok())?
}

impl Db {
    /// 创建数据库，并派生清理过期键的任务（要在 Tokio 运行时里调用）。
    /// 清理任务和数据库一样活到运行时关闭。
    pub fn start() -> Db {
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            purge: Notify::new(),
        });
        tokio::spawn(purge_expired(shared.clone()));
        Db { shared }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }

    pub fn get(&self, key: &[u8]) -> Option<Bytes> {
        let state = self.state();
        let entry = state.entries.get(key)?;
        // 克隆 Bytes 只增加引用计数；回复在锁外编码。
        entry.live(Instant::now()).then(|| entry.value.clone())
    }

    /// `expires_at` 为 `None`：不过期（也清掉原来的过期时间，与 Redis 的 SET 相同）。
    pub fn set(&self, key: &[u8], value: Bytes, expires_at: Option<Instant>) {
        let earlier = self.state().insert(key, value, expires_at);
        if earlier {
            self.shared.purge.notify_one();
        }
    }

    /// 删除若干个键，返回其中真正存在（且未过期）的个数。
    pub fn del(&self, keys: &[Bytes]) -> i64 {
        let now = Instant::now();
        let mut state = self.state();
        let mut removed = 0;
        for key in keys {
            if let Some((key, entry)) = state.entries.remove_entry(&key[..]) {
                if let Some(when) = entry.expires_at {
                    state.expirations.remove(&(when, key));
                }
                removed += i64::from(entry.live(now));
            }
        }
        removed
    }

    /// 把键的值当作十进制整数加一；键不存在时从 0 开始。过期时间保持不变。
    pub fn incr(&self, key: &[u8]) -> Result<i64, &'static str> {
        let now = Instant::now();
        let mut state = self.state();
        match state.entries.get_mut(key) {
            Some(entry) if entry.live(now) => {
                let n =
                    parse_int(&entry.value).ok_or("ERR value is not an integer or out of range")?;
                let n = n
                    .checked_add(1)
                    .ok_or("ERR increment or decrement would overflow")?;
                entry.value = Bytes::from(n.to_string());
                Ok(n)
            }
            _ => {
                state.insert(key, Bytes::from_static(b"1"), None);
                Ok(1)
            }
        }
    }

    /// 键的个数（包括已过期、还没被清理的，与 Redis 的 DBSIZE 一样）。
    pub fn dbsize(&self) -> usize {
        self.state().entries.len()
    }
}
// ANCHOR_END: methods

// ANCHOR: pubsub
impl Db {
    /// 订阅一个频道：每个订阅者有自己的 Receiver，在环形缓冲区里有自己的读位置。
    pub fn subscribe(&self, channel: &[u8]) -> broadcast::Receiver<Bytes> {
        let mut state = self.state();
        if let Some(tx) = state.channels.get(channel) {
            return tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(CHANNEL_CAPACITY);
        state.channels.insert(Bytes::copy_from_slice(channel), tx);
        rx
    }

    /// 发布一条消息，返回收到它的订阅者个数。
    pub fn publish(&self, channel: &[u8], message: Bytes) -> usize {
        let state = self.state();
        // send 返回此刻的接收者个数；一个接收者都没有时返回 Err，消息被丢弃。
        state
            .channels
            .get(channel)
            .and_then(|tx| tx.send(message).ok())
            .unwrap_or(0)
    }

    /// 订阅者丢弃了它的 Receiver 之后调用：频道没人订阅了，就删掉它的发送端。
    pub fn release(&self, channel: &[u8]) {
        let mut state = self.state();
        if state
            .channels
            .get(channel)
            .is_some_and(|tx| tx.receiver_count() == 0)
        {
            state.channels.remove(channel);
        }
    }
}
// ANCHOR_END: pubsub

// ANCHOR: purge
/// 清理任务：睡到最早的过期时刻，删掉到期的键，再睡到下一个。
/// 有更早的过期时刻加进来时，`set` 用 `notify_one` 叫醒它；它此刻不在等待时，
/// `notify_one` 留下一张许可，下一次 `notified().await` 立即返回，通知不会丢。
async fn purge_expired(shared: Arc<Shared>) {
    loop {
        match shared.purge_due(Instant::now()) {
            Some(when) => tokio::select! {
                _ = sleep_until(when) => {}
                _ = shared.purge.notified() => {}
            },
            None => shared.purge.notified().await,
        }
    }
}

impl Shared {
    /// 删掉所有到期的键，返回下一个过期时刻。
    fn purge_due(&self, now: Instant) -> Option<Instant> {
        let mut state = self.state.lock().unwrap();
        while let Some(&(when, _)) = state.expirations.first() {
            if when > now {
                return Some(when);
            }
            let (_, key) = state.expirations.pop_first().unwrap();
            state.entries.remove(&key);
        }
        None
    }
}
// ANCHOR_END: purge

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let at = |ms: u64| start + Duration::from_millis(ms);
    let show = |v: Option<Bytes>| v.map_or("(nil)".into(), |v| format!("{v:?}"));
    let db = Db::start();

    db.set(b"greeting", Bytes::from_static(b"hello"), None);
    db.set(b"session", Bytes::from_static(b"alice"), Some(at(100)));
    for i in 1..=3 {
        // 三个没人再读的临时键，50、100、150 毫秒后过期。
        let key = format!("tmp:{i}");
        db.set(key.as_bytes(), Bytes::from_static(b"x"), Some(at(50 * i)));
    }
    println!("0 ms：{} 个键", db.dbsize());
    println!("INCR counter → {:?}", db.incr(b"counter"));
    println!("INCR counter → {:?}", db.incr(b"counter"));
    println!("INCR greeting → {:?}", db.incr(b"greeting"));

    sleep_until(at(60)).await;
    println!(
        "60 ms：GET session → {}，{} 个键",
        show(db.get(b"session")),
        db.dbsize()
    );
    sleep_until(at(100)).await;
    println!("100 ms：GET session → {}", show(db.get(b"session")));
    sleep_until(at(200)).await;
    println!(
        "200 ms：{} 个键（过期的键没有人读，也被清理任务删掉了）",
        db.dbsize()
    );
    println!(
        "DEL greeting counter nope → {}",
        db.del(&[
            Bytes::from_static(b"greeting"),
            Bytes::from_static(b"counter"),
            Bytes::from_static(b"nope"),
        ])
    );

    let mut alice = db.subscribe(b"news");
    let bob = db.subscribe(b"news");
    println!(
        "PUBLISH news → {}",
        db.publish(b"news", Bytes::from_static(b"hi"))
    );
    drop(bob);
    db.release(b"news");
    println!(
        "bob 退订后 PUBLISH news → {}",
        db.publish(b"news", Bytes::from_static(b"bye"))
    );
    println!(
        "alice 依次收到 {:?}、{:?}",
        alice.recv().await,
        alice.recv().await
    );
    drop(alice);
    db.release(b"news");
    println!(
        "没人订阅时 PUBLISH news → {}",
        db.publish(b"news", Bytes::from_static(b"?"))
    );
}
// ANCHOR_END: main
