//! 示例 14-7：Notify 只传“发生了”，不传数据；notify_one 留下一张许可，notify_waiters 不留。

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::timeout;

/// 等最多 1 ms：在暂停的时钟下，超时说明没有通知可取。
async fn try_wait(notify: &Notify) -> &'static str {
    match timeout(Duration::from_millis(1), notify.notified()).await {
        Ok(()) => "立即返回",
        Err(_) => "超时：没有许可",
    }
}

// ANCHOR: one
async fn notify_one_permit() {
    let notify = Notify::new();
    // 还没有人等待时调用两次：只存下一张许可，两次通知合并成一次。
    notify.notify_one();
    notify.notify_one();
    println!(
        "notify_one ×2 之后，第一次等待：{}",
        try_wait(&notify).await
    );
    println!(
        "notify_one ×2 之后，第二次等待：{}",
        try_wait(&notify).await
    );
}
// ANCHOR_END: one

// ANCHOR: waiters
async fn notify_waiters_no_permit() {
    let notify = Arc::new(Notify::new());
    let mut set = tokio::task::JoinSet::new();
    for i in 1..=3 {
        let notify = notify.clone();
        set.spawn(async move {
            notify.notified().await;
            i
        });
    }
    tokio::task::yield_now().await; // 让三个任务先开始等待
    notify.notify_waiters(); // 叫醒此刻所有在等的，不留许可
    let mut woken: Vec<i32> = set.join_all().await;
    woken.sort();
    println!("notify_waiters 叫醒了：{woken:?}");
    println!("notify_waiters 之后才来等待：{}", try_wait(&notify).await);
}
// ANCHOR_END: waiters

// ANCHOR: ready
/// 一个“就绪”标志：状态放在锁里，Notify 只负责叫醒。
struct Ready {
    done: Mutex<bool>,
    notify: Notify,
}

impl Ready {
    fn set(&self) {
        *self.done.lock().unwrap() = true;
        self.notify.notify_waiters();
    }

    async fn wait(&self) {
        // 先登记，再检查：notified() 创建出来就能收到之后的 notify_waiters，
        // 检查与等待之间即使有人调用了 set，也不会漏掉。
        let notified = self.notify.notified();
        if *self.done.lock().unwrap() {
            return;
        }
        notified.await;
    }
}
// ANCHOR_END: ready

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    notify_one_permit().await;
    notify_waiters_no_permit().await;

    // ANCHOR: ready_main
    let ready = Arc::new(Ready {
        done: Mutex::new(false),
        notify: Notify::new(),
    });
    let waiter = {
        let ready = ready.clone();
        tokio::spawn(async move {
            ready.wait().await;
            println!("等待者：已就绪");
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    ready.set();
    waiter.await.unwrap();
    ready.wait().await; // 已经就绪：直接返回，不依赖任何许可
    println!("晚来的等待者：已就绪");
    // ANCHOR_END: ready_main
}
