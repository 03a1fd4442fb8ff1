//! 示例 5-4（无法编译）：不固定就轮询一个 async 块。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

fn main() {
    // ANCHOR: poll
    let mut future = async { 42 };
    let mut cx = Context::from_waker(Waker::noop());

    // Pin::new 只接受指向 Unpin 类型的指针，而 async 块不是 Unpin。
    let poll = Pin::new(&mut future).poll(&mut cx);
    // ANCHOR_END: poll
    println!("{poll:?}");
}
