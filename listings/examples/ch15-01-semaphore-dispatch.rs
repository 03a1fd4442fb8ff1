//! 示例 15-1：派生任务的那一跳会截断背压；先取许可、再收作业，背压就一直传回生产者。
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::{Duration, Instant, sleep};

const JOBS: u32 = 6;
const CHANNEL_CAPACITY: usize = 2;
const LIMIT: usize = 2;

/// 记录此刻在途的作业数，以及它出现过的最大值。
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    peak: AtomicUsize,
}

// ANCHOR: job
/// 一个作业：处理 100 毫秒。开始时报告此刻在途的作业数。
async fn job(id: u32, start: Instant, in_flight: Arc<InFlight>) {
    let n = in_flight.now.fetch_add(1, Ordering::SeqCst) + 1;
    in_flight.peak.fetch_max(n, Ordering::SeqCst);
    println!("{:>3} ms     作业 {id} 开始，在途 {n} 个", ms(start));
    sleep(Duration::from_millis(100)).await;
    in_flight.now.fetch_sub(1, Ordering::SeqCst);
}

/// 生产者：尽快把作业发进有界通道，通道满时 send 会等待。
fn producer(start: Instant) -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
    tokio::spawn(async move {
        for id in 1..=JOBS {
            tx.send(id).await.unwrap();
            println!("{:>3} ms 生产者：已发送 {id}", ms(start));
        }
    });
    rx
}
// ANCHOR_END: job

fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

// ANCHOR: unbounded
/// 每收到一个作业就派生一个任务：通道被立即取空，生产者从不等待。
async fn spawn_per_job() {
    let start = Instant::now();
    let in_flight = Arc::new(InFlight::default());
    let mut rx = producer(start);
    let mut tasks = JoinSet::new();
    while let Some(id) = rx.recv().await {
        tasks.spawn(job(id, start, in_flight.clone()));
    }
    tasks.join_all().await;
    let peak = in_flight.peak.load(Ordering::SeqCst);
    println!("{:>3} ms 全部完成，在途最多 {peak} 个", ms(start));
}
// ANCHOR_END: unbounded

// ANCHOR: bounded
/// 先取许可，再收下一个作业；许可随任务移走，任务结束时归还。
async fn permit_then_recv() {
    let start = Instant::now();
    let in_flight = Arc::new(InFlight::default());
    let mut rx = producer(start);
    let semaphore = Arc::new(Semaphore::new(LIMIT));
    let mut tasks = JoinSet::new();
    loop {
        // 没有空闲的许可，就不去收作业：作业留在通道里，通道满了，生产者就等。
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let Some(id) = rx.recv().await else { break };
        let in_flight = in_flight.clone();
        tasks.spawn(async move {
            job(id, start, in_flight).await;
            // 这一行不能省：async move 只捕获块里用到的变量。不提 permit，它就不会被移进任务，
            // 本轮循环结束就被析构，许可立即归还，上限形同虚设。
            drop(permit);
        });
    }
    tasks.join_all().await;
    let peak = in_flight.peak.load(Ordering::SeqCst);
    println!("{:>3} ms 全部完成，在途最多 {peak} 个", ms(start));
}
// ANCHOR_END: bounded

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("== 每个作业派生一个任务（通道容量 {CHANNEL_CAPACITY}）==");
    spawn_per_job().await;
    println!();
    println!("== 先取许可再收作业（通道容量 {CHANNEL_CAPACITY}，许可 {LIMIT} 个）==");
    permit_then_recv().await;
}
