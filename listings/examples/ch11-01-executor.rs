//! 示例 11-1：一个多任务执行器：任务、运行队列、spawn 与 JoinHandle。
//! 只用标准库；没有 I/O，也没有计时器，示例 11-3、11-4 再把它们加上。

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

// ANCHOR: driver
/// 执行器手上没有就绪的任务时，交给驱动去等。
pub trait Driver: Send + Sync + 'static {
    /// 阻塞当前线程，直到有事发生：unpark 被调用，或者驱动自己处理了一批事件。
    fn park(&self);
    /// 可以从任何线程调用：叫醒正阻塞在 park 里的执行器。
    fn unpark(&self);
}

/// 最简单的驱动：没有 I/O，也没有计时器，只等别人来 unpark。
#[derive(Default)]
pub struct ThreadParker {
    notified: Mutex<bool>,
    condvar: Condvar,
}

impl Driver for ThreadParker {
    fn park(&self) {
        let mut notified = self.notified.lock().unwrap();
        // 条件变量可能无故醒来，所以只认标志
        while !*notified {
            notified = self.condvar.wait(notified).unwrap();
        }
        *notified = false;
    }

    fn unpark(&self) {
        *self.notified.lock().unwrap() = true;
        self.condvar.notify_one();
    }
}
// ANCHOR_END: driver

// ANCHOR: task
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// 一个任务：装箱的 Future，加上把自己放回运行队列所需的一切。
struct Task {
    /// 只有执行器所在的线程轮询它，这把锁从不争用；
    /// 它在这里是为了让 Task 成为 Sync（示例 11-2 说明为什么必须如此）。
    future: Mutex<Option<BoxFuture>>,
    /// 任务已经在运行队列里了吗？几次唤醒只排一次队。
    queued: AtomicBool,
    shared: Arc<Shared>,
}

/// 执行器和所有任务共享的部分：运行队列和驱动。
struct Shared {
    queue: Mutex<VecDeque<Arc<Task>>>,
    driver: Arc<dyn Driver>,
}

impl Shared {
    fn push(&self, task: Arc<Task>) {
        self.queue.lock().unwrap().push_back(task);
        // 唤醒可能来自别的线程，而执行器可能正在 park
        self.driver.unpark();
    }
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.shared.push(self.clone());
        }
    }
}

impl Task {
    fn run(self: Arc<Self>) {
        // 先清标志再轮询：轮询期间发生的唤醒要能让任务重新排队
        self.queued.store(false, Ordering::Release);
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            // 完成的 Future 立即丢弃，以后再被唤醒也不会再轮询它
            *slot = None;
        }
    }
}
// ANCHOR_END: task

// ANCHOR: join
/// 任务的输出在这里交接：任务写入，JoinHandle 取走。
struct JoinSlot<T> {
    output: Option<T>,
    waker: Option<Waker>,
}

fn complete<T>(slot: &Mutex<JoinSlot<T>>, output: T) {
    let waker = {
        let mut slot = slot.lock().unwrap();
        slot.output = Some(output);
        slot.waker.take()
    };
    // 在锁外唤醒，理由与示例 2-5 相同
    if let Some(waker) = waker {
        waker.wake();
    }
}

pub struct JoinHandle<T> {
    slot: Arc<Mutex<JoinSlot<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.lock().unwrap();
        match slot.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                // 每次都换上这一次的唤醒器（第 2 章的第 3 条约定）
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join

// ANCHOR: runtime
/// 运行时的句柄。克隆它很便宜，任务可以带着它去派生别的任务。
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

impl Runtime {
    pub fn new(driver: Arc<dyn Driver>) -> Runtime {
        let queue = Mutex::new(VecDeque::new());
        Runtime {
            shared: Arc::new(Shared { queue, driver }),
        }
    }

    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let slot = Arc::new(Mutex::new(JoinSlot {
            output: None,
            waker: None,
        }));
        let task_slot = slot.clone();
        // 把用户的 Future 包一层：完成时把输出放进格子，唤醒等它的人
        let wrapped = async move { complete(&task_slot, future.await) };
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(wrapped))),
            queued: AtomicBool::new(true),
            shared: self.shared.clone(),
        });
        self.shared.push(task);
        JoinHandle { slot }
    }

    /// 把 future 作为主任务派生，然后一直运行任务，直到主任务完成。
    pub fn block_on<F>(&self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let main = self.spawn(future);
        loop {
            // 先取出任务、放开队列的锁，再轮询：轮询中的唤醒还要用这把锁
            let next = self.shared.queue.lock().unwrap().pop_front();
            match next {
                Some(task) => task.run(),
                // 没有就绪的任务：交给驱动去等
                None => self.shared.driver.park(),
            }
            if let Some(output) = main.slot.lock().unwrap().output.take() {
                return output;
            }
        }
    }
}
// ANCHOR_END: runtime

// ANCHOR: helpers
/// 让出一次：先唤醒自己，再返回 Pending，任务于是排到队尾。
pub async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// 在一个新线程上运行会阻塞的闭包：结果从那个线程交回，唤醒也来自那个线程。
pub fn spawn_blocking<T, F>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let slot = Arc::new(Mutex::new(JoinSlot {
        output: None,
        waker: None,
    }));
    let thread_slot = slot.clone();
    thread::spawn(move || complete(&thread_slot, f()));
    JoinHandle { slot }
}
// ANCHOR_END: helpers

// ANCHOR: main
fn main() {
    let rt = Runtime::new(Arc::new(ThreadParker::default()));
    let handle = rt.clone();
    let total = rt.block_on(async move {
        let mut tasks = Vec::new();
        for id in 1..=3u64 {
            // 第 id 个任务走 id 步，每步之后让出一次
            tasks.push(handle.spawn(async move {
                for step in 1..=id {
                    println!("任务 {id}：第 {step} 步");
                    yield_now().await;
                }
                id * 10
            }));
        }
        let sum_on_thread = spawn_blocking(|| (1..=100u64).sum::<u64>());

        let mut sum = 0;
        for task in tasks {
            sum += task.await;
        }
        println!("三个任务的结果之和：{sum}");
        let from_thread = sum_on_thread.await;
        println!("另一个线程算出：{from_thread}");
        sum + from_thread
    });
    println!("block_on 返回 {total}");
}
// ANCHOR_END: main
