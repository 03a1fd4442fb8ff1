use tokio::sync::oneshot;
use tokio::task::{AbortHandle, JoinHandle};
use tokio::time::{Duration, sleep};

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  析构 {}", self.0);
    }
}

/// 派生一个任务，并把它自己的 AbortHandle 交给它。
fn spawn_with_self_handle<F, T>(
    body: impl FnOnce(AbortHandle) -> F + Send + 'static,
) -> JoinHandle<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    let handle = tokio::spawn(async move {
        let me = rx.await.unwrap();
        body(me).await
    });
    tx.send(handle.abort_handle()).unwrap();
    handle
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: idle
    println!("== 中止一个停在 .await 上的任务 ==");
    let handle = tokio::spawn(async {
        let _conn = Noisy("任务的局部变量");
        println!("  任务：开始，等 10 秒");
        sleep(Duration::from_secs(10)).await;
        println!("  任务：这一行不会打印");
    });
    sleep(Duration::from_secs(1)).await; // 让任务先运行到它的 sleep
    handle.abort();
    println!("  abort() 已返回，is_finished = {}", handle.is_finished());
    let err = handle.await.unwrap_err();
    println!("  await 返回，is_cancelled = {}", err.is_cancelled());
    // ANCHOR_END: idle

    // ANCHOR: running
    println!("== 任务运行中被请求中止，直到下一次让出才停下 ==");
    let handle = spawn_with_self_handle(|me| async move {
        let _buf = Noisy("任务的局部变量");
        me.abort(); // 模拟：任务正在运行时，别处调用了 abort
        let sum: u64 = (1..=100).sum(); // 同步代码照常执行
        println!("  任务：abort 之后仍在运行，sum = {sum}");
        tokio::task::yield_now().await; // 第一次让出：在这里被取消
        println!("  任务：这一行不会打印");
    });
    println!(
        "  is_cancelled = {}",
        handle.await.unwrap_err().is_cancelled()
    );

    println!("== 中止之后一次也不让出，任务正常完成 ==");
    let handle = spawn_with_self_handle(|me| async move {
        me.abort();
        (1..=100u64).sum::<u64>()
    });
    println!("  await 得到 {:?}", handle.await);
    // ANCHOR_END: running
}
