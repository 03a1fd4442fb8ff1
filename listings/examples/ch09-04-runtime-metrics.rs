use tokio::runtime::Builder;
use tokio::sync::oneshot;

fn main() {
    // ANCHOR: workers
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    println!("多线程运行时 num_workers：{}", rt.metrics().num_workers());
    drop(rt);
    // ANCHOR_END: workers

    // ANCHOR: tasks
    let rt = Builder::new_current_thread().build().unwrap();
    let metrics = rt.metrics();
    println!("单线程运行时 num_workers：{}", metrics.num_workers());

    // 还没有 block_on：从运行时之外派生的任务先进入全局队列。
    let (tx, rx) = oneshot::channel::<()>();
    // 一个任务等待通道，两个任务一运行就结束。
    let waiting = rt.spawn(async move {
        let _ = rx.await;
    });
    let quick: Vec<_> = (0..2).map(|_| rt.spawn(async {})).collect();
    println!("派生之后 num_alive_tasks：{}", metrics.num_alive_tasks());
    println!(
        "派生之后 global_queue_depth：{}",
        metrics.global_queue_depth()
    );

    rt.block_on(async {
        // 让出一次：调度器借机运行全局队列里的 3 个任务。
        tokio::task::yield_now().await;
        println!(
            "让出之后 global_queue_depth：{}",
            metrics.global_queue_depth()
        );
        println!("让出之后 num_alive_tasks：{}", metrics.num_alive_tasks());

        tx.send(()).unwrap();
        waiting.await.unwrap();
        for h in quick {
            h.await.unwrap();
        }
        println!("全部完成后 num_alive_tasks：{}", metrics.num_alive_tasks());
    });
    // ANCHOR_END: tasks
}
