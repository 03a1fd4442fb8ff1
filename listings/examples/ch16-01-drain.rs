use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep, timeout};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// 排空期限：收到停止信号后，最多等在途的连接这么久。
const DRAIN: Duration = Duration::from_secs(2);
/// 强制取消之后，再给收尾留的时间。
const CLEANUP: Duration = Duration::from_millis(500);

static START: OnceLock<Instant> = OnceLock::new();

/// 打印一行，前面是从程序开始算起的（虚拟）毫秒数。
macro_rules! log {
    ($($arg:tt)*) => {
        println!(
            "[{:>4} ms] {}",
            START.get().unwrap().elapsed().as_millis(),
            format!($($arg)*)
        )
    };
}

/// 一个请求：名字、处理它要花的时间、把回复交回客户端的通道。
struct Request {
    name: &'static str,
    work: Duration,
    reply: oneshot::Sender<String>,
}

/// 一条连接：客户端在上面陆续发送请求（相当于 HTTP 的长连接）。
struct Conn {
    name: &'static str,
    requests: mpsc::Receiver<Request>,
}

// ANCHOR: connection
async fn connection(mut conn: Conn, graceful: CancellationToken, force: CancellationToken) {
    let why = loop {
        // 空闲地等下一个请求时，停止信号直接关闭连接：这时没有在途的工作。
        let req = tokio::select! {
            biased;
            _ = graceful.cancelled() => break "收到停止信号，不再等新请求",
            req = conn.requests.recv() => match req {
                Some(req) => req,
                None => break "客户端关闭了连接",
            },
        };
        log!("{}：开始，需要 {} ms", req.name, req.work.as_millis());
        // 请求一旦开始，停止信号不再打断它；只有第二级令牌（排空期限）能打断。
        match force.run_until_cancelled(sleep(req.work)).await {
            Some(()) => {
                log!("{}：完成", req.name);
                let _ = req.reply.send(format!("{} 的结果", req.name));
            }
            // req.reply 随 req 一起被丢弃，客户端由此得知没有回复。
            None => break "请求被强制取消",
        }
    };
    log!("连接 {}：关闭（{why}）", conn.name);
}
// ANCHOR_END: connection

// ANCHOR: serve
async fn serve(mut listener: mpsc::Receiver<Conn>, signal: impl Future<Output = ()>) {
    let force = CancellationToken::new(); // 第二级：放弃在途的工作
    let graceful = force.child_token(); // 第一级：停止接受，空闲连接关闭
    let tracker = TaskTracker::new();

    // 第一阶段：照常接受连接，直到信号到来。
    tokio::pin!(signal);
    loop {
        tokio::select! {
            biased;
            () = &mut signal => break,
            conn = listener.recv() => match conn {
                Some(conn) => {
                    log!("连接 {}：接受", conn.name);
                    tracker.spawn(connection(conn, graceful.clone(), force.clone()));
                }
                None => break,
            },
        }
    }
    drop(listener); // 不再接受：之后来的连接被拒绝
    graceful.cancel();
    tracker.close();
    log!(
        "收到停止信号：停止接受，等待 {} 个连接，最多 {} ms",
        tracker.len(),
        DRAIN.as_millis()
    );

    // 第二阶段：排空。在期限内等在途的连接自己结束。
    if timeout(DRAIN, tracker.wait()).await.is_err() {
        // 第三阶段：期限已到，取消第二级令牌，再给一点收尾的时间。
        log!("排空期限已到：强制取消剩下的 {} 个连接", tracker.len());
        force.cancel();
        if timeout(CLEANUP, tracker.wait()).await.is_err() {
            log!("仍有 {} 个连接没有结束，不再等待", tracker.len());
        }
    }
    log!("全部连接已结束");
}
// ANCHOR_END: serve

// ANCHOR: clients
/// 一个客户端：在 `at` 毫秒时连接，依次发送请求，然后保持连接，直到服务器关闭它。
async fn client(
    name: &'static str,
    listener: mpsc::Sender<Conn>,
    at: u64,
    script: &'static [(u64, &'static str, u64)], // (发送时刻, 请求名, 处理耗时)
) {
    sleep_until_ms(at).await;
    let (tx, requests) = mpsc::channel(4);
    if listener.send(Conn { name, requests }).await.is_err() {
        log!("客户端 {name}：连接被拒绝");
        return;
    }
    for &(at, req, work) in script {
        sleep_until_ms(at).await;
        let (reply, answer) = oneshot::channel();
        let work = Duration::from_millis(work);
        if tx
            .send(Request {
                name: req,
                work,
                reply,
            })
            .await
            .is_err()
        {
            log!("客户端 {name}：{req} 发不出去，连接已关闭");
            return;
        }
        match answer.await {
            Ok(text) => log!("客户端 {name}：收到“{text}”"),
            Err(_) => {
                log!("客户端 {name}：{req} 没有回复");
                return;
            }
        }
    }
    tx.closed().await; // 等服务器那一端关闭连接
}
// ANCHOR_END: clients

async fn sleep_until_ms(ms: u64) {
    tokio::time::sleep_until(*START.get().unwrap() + Duration::from_millis(ms)).await;
}

// ANCHOR: main
fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true) // 暂停的时钟：输出确定，程序瞬间结束
        .build()
        .unwrap();
    rt.block_on(async {
        START.set(Instant::now()).unwrap();
        let (listener_tx, listener) = mpsc::channel(16);
        // A 的请求早就完成，信号到来时它空闲；B、C 的请求在途；D 来得太晚。
        tokio::spawn(client("A", listener_tx.clone(), 0, &[(0, "A1", 300)]));
        tokio::spawn(client(
            "B",
            listener_tx.clone(),
            700,
            &[(700, "B1", 500), (1300, "B2", 100)],
        ));
        tokio::spawn(client("C", listener_tx.clone(), 900, &[(900, "C1", 5000)]));
        tokio::spawn(client("D", listener_tx, 1100, &[(1100, "D1", 100)]));
        // 模拟的停止信号：第 1000 ms 到来。真实的服务器在这里等 SIGINT、SIGTERM。
        serve(listener, sleep(Duration::from_millis(1000))).await;
    });
    // 最后一步：关闭运行时。还没结束的阻塞闭包最多再等 1 秒。
    rt.shutdown_timeout(Duration::from_secs(1));
}
// ANCHOR_END: main
