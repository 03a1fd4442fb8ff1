//! 示例 5-4（无法编译）：不固定就轮询一个 async fn 返回的 Future。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

// ANCHOR: poll
async fn answer() -> u32 {
    42
}

fn main() {
    let mut future = answer();
    let mut cx = Context::from_waker(Waker::noop());

    // Pin::new 只接受指向 Unpin 类型的指针，而 async fn 返回的 Future 不是 Unpin。
    let poll = Pin::new(&mut future).poll(&mut cx);
    println!("{poll:?}");
}
// ANCHOR_END: poll
