use std::any::Any;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use tokio::time::sleep;

/// 取出 panic 载荷里的消息（与示例 8-8 相同）。
fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "（不是字符串的载荷）"
    }
}

// ANCHOR: facade
/// 一个异步的客户端，比如某个异步库提供的。
struct Client;

impl Client {
    async fn get(&self, key: &str) -> String {
        sleep(Duration::from_millis(1)).await; // 代表一次网络往返
        format!("{key} 的值")
    }
}

/// 给同步代码用的外观：自带一个单线程运行时，每个方法 block_on 一次。
struct BlockingClient {
    rt: Runtime,
    inner: Client,
}

impl BlockingClient {
    fn new() -> io::Result<Self> {
        let rt = Builder::new_current_thread().enable_all().build()?;
        Ok(Self { rt, inner: Client })
    }

    fn get(&self, key: &str) -> String {
        self.rt.block_on(self.inner.get(key))
    }
}
// ANCHOR_END: facade

fn main() -> io::Result<()> {
    // 换上安静的 panic 钩子：下面故意触发的 panic 不往标准错误写消息。
    std::panic::set_hook(Box::new(|_| {}));

    // ANCHOR: sync
    // 1. 同步的程序：直接用外观。
    let client = BlockingClient::new()?;
    println!("同步代码调用外观：{}", client.get("a"));

    // 2. 程序里已经有一个运行时，同步代码在另一个线程上：借它的 Handle。
    let rt = Builder::new_multi_thread().enable_all().build()?;
    let handle = rt.handle().clone();
    let got = std::thread::spawn(move || handle.block_on(Client.get("b")))
        .join()
        .unwrap();
    println!("普通线程经 Handle::block_on：{got}");
    // ANCHOR_END: sync

    // ANCHOR: nested
    rt.block_on(async move {
        // 3. 在异步代码里调用外观：当前线程正在驱动异步任务，外观的 block_on 要阻塞它。
        let result = catch_unwind(AssertUnwindSafe(|| client.get("c")));
        if let Err(payload) = result {
            println!("异步代码里调用外观，panic：\n  {}", message(&*payload));
        }

        // 4. 正确的做法：交给阻塞线程池。client 连同它的运行时移进闭包，
        //    在那里用完、在那里析构：运行时也不能在异步代码里析构。
        let got = tokio::task::spawn_blocking(move || client.get("d"))
            .await
            .unwrap();
        println!("经 spawn_blocking 调用外观：{got}");
    });
    // ANCHOR_END: nested
    Ok(())
}
