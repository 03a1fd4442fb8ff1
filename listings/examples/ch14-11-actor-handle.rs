//! 示例 14-11：Actor 句柄：一个任务独占计数表，别的任务通过可克隆的句柄发消息，用 oneshot 取回复。

use std::collections::{BTreeMap, HashMap};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

// ANCHOR: messages
/// 句柄与 Actor 之间的协议。每个请求自带一个 oneshot 发送端，Actor 用它回复。
enum Command {
    Record {
        path: String,
        reply: oneshot::Sender<u64>,
    },
    Get {
        path: String,
        reply: oneshot::Sender<Option<u64>>,
    },
    Snapshot {
        reply: oneshot::Sender<BTreeMap<String, u64>>,
    },
}
// ANCHOR_END: messages

// ANCHOR: actor
/// Actor：状态是它的私有字段，一次只处理一条消息，不需要锁。
struct StatsActor {
    hits: HashMap<String, u64>,
    inbox: mpsc::Receiver<Command>,
}

impl StatsActor {
    /// 所有句柄都被丢弃后 recv 返回 None，Actor 随之结束，返回处理过的消息数。
    async fn run(mut self) -> u64 {
        let mut handled = 0;
        while let Some(cmd) = self.inbox.recv().await {
            handled += 1;
            match cmd {
                Command::Record { path, reply } => {
                    let n = self.hits.entry(path).or_insert(0);
                    *n += 1;
                    // 请求者可能已经不等了（被取消）：回复失败就算了。
                    let _ = reply.send(*n);
                }
                Command::Get { path, reply } => {
                    let _ = reply.send(self.hits.get(&path).copied());
                }
                Command::Snapshot { reply } => {
                    let snapshot = self.hits.iter().map(|(k, v)| (k.clone(), *v)).collect();
                    let _ = reply.send(snapshot);
                }
            }
        }
        handled
    }
}
// ANCHOR_END: actor

// ANCHOR: handle
/// 句柄：克隆它很便宜（只是克隆一个 mpsc::Sender），可以交给任意多个任务。
#[derive(Clone)]
pub struct StatsHandle {
    tx: mpsc::Sender<Command>,
}

impl StatsHandle {
    /// 派生 Actor，返回句柄和 Actor 的 JoinHandle。
    pub fn spawn(capacity: usize) -> (StatsHandle, JoinHandle<u64>) {
        let (tx, inbox) = mpsc::channel(capacity);
        let actor = StatsActor {
            hits: HashMap::new(),
            inbox,
        };
        (StatsHandle { tx }, tokio::spawn(actor.run()))
    }

    /// 发出请求，等待回复。邮箱满时 send 等待：这就是背压。
    async fn request<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> T {
        let (reply, response) = oneshot::channel();
        // 只要还有句柄，Actor 就不会自己退出；这两处失败只可能是 Actor 的任务异常结束了：
        // 它 panic 了，或者运行时关闭时它被取消了。
        self.tx.send(make(reply)).await.expect("Actor 已经停止");
        response.await.expect("Actor 没有回复")
    }

    pub async fn record(&self, path: &str) -> u64 {
        let path = path.to_string(); // 消息要拥有它的数据：借用进不了另一个任务
        self.request(|reply| Command::Record { path, reply }).await
    }

    pub async fn get(&self, path: &str) -> Option<u64> {
        let path = path.to_string();
        self.request(|reply| Command::Get { path, reply }).await
    }

    pub async fn snapshot(&self) -> BTreeMap<String, u64> {
        self.request(|reply| Command::Snapshot { reply }).await
    }
}
// ANCHOR_END: handle

// ANCHOR: main
fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let (stats, actor) = StatsHandle::spawn(64);
        // 与示例 14-1 相同的负载：4 个任务、每个 3000 个请求。
        let mut set = tokio::task::JoinSet::new();
        for task in 0..4 {
            let stats = stats.clone();
            set.spawn(async move {
                let paths = ["/", "/api/orders", "/api/users"];
                for i in 0..3000 {
                    stats.record(paths[(i + task) % paths.len()]).await;
                }
            });
        }
        set.join_all().await;

        let snapshot = stats.snapshot().await;
        for (path, n) in &snapshot {
            println!("{path:<12} {n} 次");
        }
        println!("合计 {} 次", snapshot.values().sum::<u64>());
        println!("/nobody：{:?}", stats.get("/nobody").await);

        drop(stats); // 最后一个句柄：Actor 的邮箱随之关闭
        println!("Actor 退出，共处理 {} 条消息", actor.await.unwrap());
    });
}
// ANCHOR_END: main
