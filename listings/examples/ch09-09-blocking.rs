use std::sync::mpsc;
use std::time::Duration;

// 一个同步 API：阻塞当前线程，等另一方发信号，最多等 100 ms。
// 它代表 std::thread::sleep、同步文件或数据库调用、std 的锁等一切阻塞操作。
fn wait_for_signal(rx: mpsc::Receiver<()>) -> &'static str {
    match rx.recv_timeout(Duration::from_millis(100)) {
        Ok(()) => "收到信号",
        Err(_) => "等了 100 ms 仍没有信号",
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: bad
    let (tx, rx) = mpsc::channel();
    // 坏做法：在异步任务里直接调用阻塞 API。
    let waiter = tokio::spawn(async move {
        println!("[坏] 等待者开始阻塞");
        let result = wait_for_signal(rx);
        println!("[坏] 等待者：{result}");
    });
    let signaler = tokio::spawn(async move {
        println!("[坏] 发信号的任务这才开始运行");
        let _ = tx.send(()); // 等待者早已放弃，发送失败也无妨
    });
    waiter.await.unwrap();
    signaler.await.unwrap();
    // ANCHOR_END: bad

    // ANCHOR: good
    let (tx, rx) = mpsc::channel();
    // 好做法：把阻塞调用交给阻塞线程池，工作线程继续运行别的任务。
    let waiter = tokio::task::spawn_blocking(move || wait_for_signal(rx));
    let signaler = tokio::spawn(async move {
        println!("[好] 发信号的任务照常运行");
        tx.send(()).unwrap();
    });
    signaler.await.unwrap();
    println!("[好] 等待者：{}", waiter.await.unwrap());
    // ANCHOR_END: good
}
