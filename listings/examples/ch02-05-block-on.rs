//! 示例 2-5：一个最小的执行器 block_on，以及一个由另一个线程唤醒的 Future。
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

// ANCHOR: executor
/// 执行器的唤醒器：记下“被唤醒过”，再叫醒正在 park 的执行器线程。
struct ThreadWaker {
    executor: Thread,
    woken: AtomicBool,
    woken_by: Mutex<Option<String>>,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let name = thread::current().name().unwrap_or("无名线程").to_string();
        *self.woken_by.lock().unwrap() = Some(name);
        self.woken.store(true, Ordering::Release);
        self.executor.unpark();
    }
}

fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let state = Arc::new(ThreadWaker {
        executor: thread::current(),
        woken: AtomicBool::new(false),
        woken_by: Mutex::new(None),
    });
    let waker = Waker::from(state.clone());
    let mut cx = Context::from_waker(&waker);

    let mut n = 0;
    loop {
        n += 1;
        println!("执行器：第 {n} 次轮询");
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        println!("[3] 执行器：收到 Pending，park 当前线程");
        // park 可能无故返回，所以要循环检查标志；
        // 如果 wake 发生在 park 之前，标志已经是 true，也不会丢失这次唤醒。
        while !state.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
        let by = state.woken_by.lock().unwrap().take().unwrap_or_default();
        println!("[4] 执行器：被线程 {by} 唤醒");
        println!("[5] 执行器：再次轮询");
    }
}
// ANCHOR_END: executor

// ANCHOR: future
/// Future 与后台线程共享的状态：唤醒器存在这里，后台线程完成时从这里取出它。
#[derive(Default)]
struct Shared {
    result: Option<u64>,
    waker: Option<Waker>,
}

/// 结果由另一个线程算出的 Future，相当于“等待一次 I/O 完成”。
#[derive(Default)]
struct FromWorker {
    shared: Arc<Mutex<Shared>>,
    started: bool,
}

impl Future for FromWorker {
    type Output = u64;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        let mut shared = self.shared.lock().unwrap();
        if let Some(result) = shared.result.take() {
            println!("[6] Future：结果已就绪，返回 Ready");
            return Poll::Ready(result);
        }
        // 先存好唤醒器，再返回 Pending；每次都换成最近一次 poll 传入的唤醒器。
        shared.waker = Some(cx.waker().clone());
        println!("[1] Future：结果未到，把唤醒器存进共享状态");
        drop(shared);

        if !self.started {
            self.started = true;
            let shared = self.shared.clone();
            thread::Builder::new()
                .name("io-worker".to_string())
                .spawn(move || {
                    let result = 6 * 7; // 模拟一次在别处完成的 I/O
                    let waker = {
                        let mut s = shared.lock().unwrap();
                        s.result = Some(result);
                        s.waker.take()
                    };
                    // 在锁外唤醒：wake 会让执行器去轮询，轮询又要拿这把锁。
                    if let Some(waker) = waker {
                        waker.wake(); // 按值调用，交出这份唤醒器
                    }
                })
                .unwrap();
        }
        println!("[2] Future：返回 Pending");
        Poll::Pending
    }
}
// ANCHOR_END: future

// ANCHOR: main
fn main() {
    let answer = block_on(async {
        println!("async 块：开始等待后台线程");
        let x = FromWorker::default().await;
        println!("async 块：拿到 {x}");
        x
    });
    println!("block_on 返回 {answer}");
}
// ANCHOR_END: main
