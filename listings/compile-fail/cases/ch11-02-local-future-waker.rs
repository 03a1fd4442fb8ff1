//! 示例 11-2（无法编译）：Future 不是 Send，就做不出唤醒器：唤醒器可以被送到任何线程。
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

// ANCHOR: local
// 想让执行器也能运行持有 Rc 的 Future，于是去掉了 + Send
type LocalBoxFuture = Pin<Box<dyn Future<Output = ()> + 'static>>;

struct Task {
    future: Mutex<Option<LocalBoxFuture>>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {}
}

fn waker_for(task: Arc<Task>) -> Waker {
    Waker::from(task)
}
// ANCHOR_END: local

fn main() {
    let task = Arc::new(Task {
        future: Mutex::new(None),
    });
    let _waker = waker_for(task);
}
