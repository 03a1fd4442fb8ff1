use std::sync::mpsc;
use std::time::Duration;

use tokio::runtime::Builder;
use tokio::sync::oneshot;
use tokio::task::{self, JoinSet};
use tokio::time::timeout;

// ANCHOR: job
/// 观察一个阻塞闭包的三个时刻：开始运行、被放行、运行到最后。
struct Probe {
    started: oneshot::Receiver<()>,
    release: mpsc::Sender<()>,
    finished: oneshot::Receiver<()>,
}

/// 一个阻塞闭包：报告“已开始”，阻塞到被放行，再报告“跑完了”。
/// release.recv() 代表任何一段同步 I/O 或计算：线程停在这里，谁也打断不了它。
fn blocking_job() -> (impl FnOnce() -> &'static str + Send + 'static, Probe) {
    let (started_tx, started) = oneshot::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let (finished_tx, finished) = oneshot::channel();
    let job = move || {
        let _ = started_tx.send(());
        let _ = release_rx.recv();
        let _ = finished_tx.send(());
        "闭包的返回值"
    };
    let probe = Probe {
        started,
        release,
        finished,
    };
    (job, probe)
}
// ANCHOR_END: job

// ANCHOR: cancel
async fn abort_timeout_joinset() {
    // 1. abort：闭包已经开始运行，中止请求被无视，await 照样得到它的返回值。
    let (job, probe) = blocking_job();
    let handle = task::spawn_blocking(job);
    probe.started.await.unwrap();
    handle.abort();
    probe.release.send(()).unwrap();
    println!("abort 之后 await 得到：{:?}", handle.await);

    // 2. timeout：期限到了只是丢弃 JoinHandle，闭包仍在阻塞线程池的线程上运行。
    let (job, probe) = blocking_job();
    let handle = task::spawn_blocking(job);
    probe.started.await.unwrap();
    let result = timeout(Duration::from_millis(10), handle).await;
    println!("timeout 的结果：{result:?}");
    probe.release.send(()).unwrap();
    probe.finished.await.unwrap();
    println!("timeout 之后，闭包仍然运行到了最后");

    // 3. 丢弃 JoinSet：集合里的异步任务会被中止，已经开始的阻塞闭包不会。
    let (job, probe) = blocking_job();
    let mut set = JoinSet::new();
    set.spawn_blocking(job);
    probe.started.await.unwrap();
    drop(set);
    probe.release.send(()).unwrap();
    probe.finished.await.unwrap();
    println!("丢弃 JoinSet 之后，闭包仍然运行到了最后");
}
// ANCHOR_END: cancel

// ANCHOR: shutdown
fn runtime_shutdown() {
    // 4. shutdown_timeout：最多等 10 ms，然后放手返回；闭包并没有停下。
    let rt = Builder::new_current_thread().build().unwrap();
    let (job, mut probe) = blocking_job();
    rt.spawn_blocking(job);
    probe.started.blocking_recv().unwrap();
    rt.shutdown_timeout(Duration::from_millis(10));
    println!(
        "shutdown_timeout 返回时，闭包已经结束：{}",
        probe.finished.try_recv().is_ok()
    );
    probe.release.send(()).unwrap();
    probe.finished.blocking_recv().unwrap();
    println!("放行之后，闭包才运行到最后");

    // 5. 直接丢弃运行时：一直等到闭包自己结束。
    let rt = Builder::new_current_thread().build().unwrap();
    let (job, mut probe) = blocking_job();
    rt.spawn_blocking(job);
    probe.started.blocking_recv().unwrap();
    // 另一个线程过一会儿再放行；在那之前，drop(rt) 一直阻塞着 main。
    let release = probe.release.clone();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        release.send(()).unwrap();
    });
    drop(rt);
    println!(
        "drop(rt) 返回时，闭包已经结束：{}",
        probe.finished.try_recv().is_ok()
    );
    releaser.join().unwrap();
}
// ANCHOR_END: shutdown

fn main() {
    let rt = Builder::new_current_thread().enable_time().build().unwrap();
    rt.block_on(abort_timeout_joinset());
    drop(rt);
    runtime_shutdown();
}
