//! 示例 15-7：每一跳各设各的超时，与把一个绝对的截止时刻一路传下去。
use tokio::time::{Duration, Instant, sleep, timeout, timeout_at};

#[derive(Debug)]
enum Error {
    Unavailable,      // 下游暂时不可用，可以重试
    DeadlineExceeded, // 调用方给的时间用完了
}

fn log(start: Instant, msg: &str) {
    println!("  [{:>4} ms] {msg}", start.elapsed().as_millis());
}

// ANCHOR: hops
/// 三跳下游：鉴权 100 毫秒；查询 300 毫秒，500 毫秒之前开始的查询会失败；渲染 50 毫秒。
async fn auth() -> Result<(), Error> {
    sleep(Duration::from_millis(100)).await;
    Ok(())
}

async fn query(start: Instant) -> Result<u32, Error> {
    let began = start.elapsed();
    sleep(Duration::from_millis(300)).await;
    if began < Duration::from_millis(500) {
        Err(Error::Unavailable)
    } else {
        Ok(42)
    }
}

async fn render(rows: u32) -> Result<String, Error> {
    sleep(Duration::from_millis(50)).await;
    Ok(format!("{rows} 行"))
}

const BACKOFF: Duration = Duration::from_millis(200);
// ANCHOR_END: hops

// ANCHOR: fixed
/// 每一跳各自的超时：1 秒。服务器不知道调用方还剩多少时间。
async fn handle_fixed(start: Instant) -> Result<String, Error> {
    let hop = Duration::from_secs(1);
    let elapsed = |_| Error::DeadlineExceeded;
    timeout(hop, auth()).await.map_err(elapsed)??;
    log(start, "服务器：鉴权完成");
    let rows = loop {
        match timeout(hop, query(start)).await.map_err(elapsed)? {
            Ok(rows) => break rows,
            Err(_) => {
                log(start, "服务器：查询失败，退避后重试");
                sleep(BACKOFF).await;
            }
        }
    };
    log(start, "服务器：查询完成");
    timeout(hop, render(rows)).await.map_err(elapsed)?
}
// ANCHOR_END: fixed

// ANCHOR: deadline
/// 调用方的截止时刻随请求传下来；每一跳只能用剩下的时间。
async fn handle_deadline(start: Instant, deadline: Instant) -> Result<String, Error> {
    let remaining = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_millis()
    };
    let elapsed = |_| Error::DeadlineExceeded;
    timeout_at(deadline, auth()).await.map_err(elapsed)??;
    log(start, &format!("服务器：鉴权完成，剩余 {} ms", remaining()));
    let rows = loop {
        match timeout_at(deadline, query(start)).await.map_err(elapsed)? {
            Ok(rows) => break rows,
            Err(_) if Instant::now() + BACKOFF >= deadline => {
                log(start, "服务器：查询失败，退避完就过了截止时刻，放弃");
                return Err(Error::DeadlineExceeded);
            }
            Err(_) => {
                log(
                    start,
                    &format!("服务器：查询失败，剩余 {} ms，退避后重试", remaining()),
                );
                sleep(BACKOFF).await;
            }
        }
    };
    log(start, &format!("服务器：查询完成，剩余 {} ms", remaining()));
    timeout_at(deadline, render(rows)).await.map_err(elapsed)?
}
// ANCHOR_END: deadline

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    for propagate in [false, true] {
        println!(
            "== {} ==",
            if propagate {
                "截止时刻一路传下去"
            } else {
                "每一跳各自超时 1 秒"
            }
        );
        let start = Instant::now();
        let deadline = start + Duration::from_millis(800); // 客户端只等 800 毫秒
        // 服务器在自己的任务里处理请求：客户端不再等了，它也不会知道。
        let mut server = tokio::spawn(async move {
            if propagate {
                handle_deadline(start, deadline).await
            } else {
                handle_fixed(start).await
            }
        });
        match timeout_at(deadline, &mut server).await {
            Ok(reply) => log(start, &format!("客户端：收到 {:?}", reply.unwrap())),
            Err(_) => log(start, "客户端：到了截止时刻，放弃等待"),
        }
        let reply = server.await.unwrap();
        log(start, &format!("服务器：处理结束，结果 {reply:?}"));
    }
}
// ANCHOR_END: main
