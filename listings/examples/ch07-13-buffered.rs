//! 示例 7-13：限制并发数地运行一批 Future：FuturesUnordered、buffer_unordered 与 buffered。
use futures::stream::{self, FuturesUnordered, Stream, StreamExt};
use std::cell::{Cell, RefCell};
use std::pin::pin;
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: job
/// 5 个作业：名字和耗时（毫秒）。A 最慢，却排在最前面。
const JOBS: [(char, u64); 5] = [('A', 300), ('B', 100), ('C', 150), ('D', 100), ('E', 20)];
const LIMIT: usize = 2;

/// 记录每个作业何时开始、同时运行的作业数，以及它出现过的最大值。
struct Tracker {
    start: Instant,
    running: Cell<usize>,
    max_running: Cell<usize>,
    started: RefCell<Vec<String>>,
}

async fn job(t: &Tracker, name: char, ms: u64) -> char {
    // async fn 的函数体在第一次被轮询时才开始执行，这里就是作业真正开始的时刻。
    t.running.set(t.running.get() + 1);
    t.max_running.set(t.max_running.get().max(t.running.get()));
    let at = t.start.elapsed().as_millis();
    t.started.borrow_mut().push(format!("{name}@{at}"));
    sleep(Duration::from_millis(ms)).await;
    t.running.set(t.running.get() - 1);
    name
}
// ANCHOR_END: job

impl Tracker {
    fn new() -> Self {
        Tracker {
            start: Instant::now(),
            running: Cell::new(0),
            max_running: Cell::new(0),
            started: RefCell::new(Vec::new()),
        }
    }

    fn ms(&self) -> u128 {
        self.start.elapsed().as_millis()
    }

    fn summary(&self) {
        println!(
            "  开始时刻 {}；同时运行最多 {} 个",
            self.started.borrow().join(" "),
            self.max_running.get()
        );
    }
}

/// 取完一条结果流，打印每个结果交出的时刻。
async fn drain(t: &Tracker, results: impl Stream<Item = char>) {
    let mut results = pin!(results);
    while let Some(name) = results.next().await {
        println!("  {:>3} 毫秒：交出 {name}", t.ms());
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: unordered_set
    println!("FuturesUnordered，手动保持 {LIMIT} 个在途：");
    let t = Tracker::new();
    let mut waiting = JOBS.into_iter();
    let mut in_flight = FuturesUnordered::new();
    for (name, ms) in waiting.by_ref().take(LIMIT) {
        in_flight.push(job(&t, name, ms));
    }
    // 每完成一个，就从等待的作业里补进一个。
    while let Some(name) = in_flight.next().await {
        println!("  {:>3} 毫秒：交出 {name}", t.ms());
        if let Some((name, ms)) = waiting.next() {
            in_flight.push(job(&t, name, ms));
        }
    }
    t.summary();
    // ANCHOR_END: unordered_set

    // ANCHOR: buffer_unordered
    println!("buffer_unordered({LIMIT})：");
    let t = Tracker::new();
    let results = stream::iter(JOBS)
        .map(|(name, ms)| job(&t, name, ms))
        .buffer_unordered(LIMIT);
    drain(&t, results).await;
    t.summary();
    // ANCHOR_END: buffer_unordered

    // ANCHOR: buffered
    println!("buffered({LIMIT})：");
    let t = Tracker::new();
    let results = stream::iter(JOBS)
        .map(|(name, ms)| job(&t, name, ms))
        .buffered(LIMIT);
    drain(&t, results).await;
    t.summary();
    // ANCHOR_END: buffered
}
