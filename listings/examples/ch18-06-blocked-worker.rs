use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use tokio::runtime::{Handle, RuntimeMetrics};
use tracing::{info, warn};

// ANCHOR: consts
/// 看门狗多久采样一次。
const SAMPLE_EVERY: Duration = Duration::from_millis(10);
/// 一个工作线程“忙着”却这么久没有更新任何指标，就报警。
const THRESHOLD: Duration = Duration::from_millis(100);
/// 示例里阻塞调用的时长：远大于阈值，报警不会错过。
const BLOCKING_CALL: Duration = Duration::from_millis(400);
// ANCHOR_END: consts

// ANCHOR: sample
/// 一个工作线程公布出来的两个稳定指标。
#[derive(Clone, Copy, PartialEq)]
struct Sample {
    busy: Duration,
    park_unpark: u64,
}

fn sample(metrics: &RuntimeMetrics, worker: usize) -> Sample {
    Sample {
        busy: metrics.worker_total_busy_duration(worker),
        park_unpark: metrics.worker_park_unpark_count(worker),
    }
}
// ANCHOR_END: sample

// ANCHOR: watchdog
/// 在一个独立的线程上运行：所有工作线程都被阻塞时，它照样能报警。
fn watchdog(metrics: RuntimeMetrics, stop: Arc<AtomicBool>) -> u32 {
    let n = metrics.num_workers();
    // 每个工作线程上一次的采样，以及从什么时候起它再没变过。
    let mut last: Vec<Sample> = (0..n).map(|w| sample(&metrics, w)).collect();
    let mut unchanged_since = vec![Instant::now(); n];
    let mut flagged = vec![false; n];
    let mut warnings = 0;
    loop {
        thread::sleep(SAMPLE_EVERY);
        let now = Instant::now();
        for w in 0..n {
            let now_sample = sample(&metrics, w);
            if now_sample != last[w] {
                last[w] = now_sample;
                unchanged_since[w] = now;
                if flagged[w] {
                    flagged[w] = false;
                    info!("工作线程恢复了");
                }
                continue;
            }
            // 计数为偶数：这个工作线程醒着，没有在休眠。
            let awake = now_sample.park_unpark.is_multiple_of(2);
            if awake && !flagged[w] && now - unchanged_since[w] >= THRESHOLD {
                flagged[w] = true;
                warnings += 1;
                warn!(threshold_ms = THRESHOLD.as_millis(), "检测到工作线程被阻塞");
            }
        }
        if stop.load(Ordering::Relaxed) && !flagged.contains(&true) {
            return warnings;
        }
    }
}
// ANCHOR_END: watchdog

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .init();

    // ANCHOR: main
    let metrics = Handle::current().metrics();
    info!(workers = metrics.num_workers(), "多线程运行时已启动");
    let stop = Arc::new(AtomicBool::new(false));
    let dog = {
        let stop = stop.clone();
        thread::spawn(move || watchdog(metrics, stop))
    };

    info!("阶段 1：阻塞调用交给 spawn_blocking");
    tokio::task::spawn_blocking(|| thread::sleep(BLOCKING_CALL))
        .await
        .unwrap();

    info!("阶段 2：同样的阻塞调用直接写在任务里");
    // 坏做法，仅作演示：在异步任务里调用会阻塞线程的函数。
    tokio::spawn(async { thread::sleep(BLOCKING_CALL) })
        .await
        .unwrap();

    stop.store(true, Ordering::Relaxed);
    let warnings = dog.join().unwrap();
    info!(warnings, "看门狗退出");
    // ANCHOR_END: main
}
