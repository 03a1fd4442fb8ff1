//! 示例 12-3：线程每核的骨架。每个线程一个单线程运行时、一份不共享的状态，请求按用户分片；
//! 一个热点用户让一个分片忙、另一个闲，而没有工作窃取把多出来的活搬走。

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::thread;

use tokio::runtime::LocalRuntime;
use tokio::sync::mpsc;

struct Request {
    user: u32,
    cost: u32,
}

struct ShardReport {
    requests: usize,
    work: u32,
    users: Vec<u32>,
}

// ANCHOR: shard
/// 一个分片：自己的线程、自己的运行时、自己的状态。
/// 状态是 Rc<RefCell<…>>，不是 Send：它永远不会离开这个线程，也就不需要是。
fn spawn_shard(
    id: usize,
    mut inbox: mpsc::UnboundedReceiver<Request>,
) -> thread::JoinHandle<ShardReport> {
    thread::Builder::new()
        .name(format!("shard-{id}"))
        .spawn(move || {
            let rt = LocalRuntime::new().unwrap();
            rt.block_on(async move {
                let totals: Rc<RefCell<BTreeMap<u32, u32>>> = Rc::default();
                let mut tasks = Vec::new();
                while let Some(req) = inbox.recv().await {
                    let totals = Rc::clone(&totals);
                    // spawn_local 不要求 Send：任务在哪个线程派生，就在哪个线程运行到底。
                    tasks.push(tokio::task::spawn_local(async move {
                        *totals.borrow_mut().entry(req.user).or_default() += req.cost;
                        req.cost
                    }));
                }
                let requests = tasks.len();
                let mut work = 0;
                for task in tasks {
                    work += task.await.unwrap();
                }
                let users = totals.borrow().keys().copied().collect();
                ShardReport {
                    requests,
                    work,
                    users,
                }
            })
        })
        .unwrap()
}
// ANCHOR_END: shard

// ANCHOR: dispatch
fn main() {
    const SHARDS: usize = 2;
    let (inboxes, handles): (Vec<_>, Vec<_>) = (0..SHARDS)
        .map(|id| {
            let (tx, rx) = mpsc::unbounded_channel();
            (tx, spawn_shard(id, rx))
        })
        .unzip();

    // 用户 0 是热点：30 个请求；用户 1 到 7 各 5 个。每个请求 2 份工作。
    let workload = (0..30)
        .map(|_| 0)
        .chain((1..=7).flat_map(|user| std::iter::repeat_n(user, 5)));
    for user in workload {
        // 按键分片：同一个用户总落在同一个分片，它的状态因此不用加锁。
        let shard = user as usize % SHARDS;
        inboxes[shard].send(Request { user, cost: 2 }).unwrap();
    }
    drop(inboxes); // 关闭通道，分片处理完队列里的请求就结束

    let reports: Vec<ShardReport> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (id, r) in reports.iter().enumerate() {
        println!(
            "分片 {id}：{} 个请求，{} 份工作，用户 {:?}",
            r.requests, r.work, r.users
        );
    }
    let total: u32 = reports.iter().map(|r| r.work).sum();
    let busiest = reports.iter().map(|r| r.work).max().unwrap();
    println!(
        "共 {total} 份工作，平均每个分片 {} 份；最忙的分片 {busiest} 份",
        total / SHARDS as u32
    );
}
// ANCHOR_END: dispatch
