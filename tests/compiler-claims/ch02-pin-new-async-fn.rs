//@ chapter: src/ch02-future-state-machine.md
//@ expect: error[E0277]
//@ expect: cannot be unpinned
// 第 2 章：把 `pin!` 换成 `Pin::new(&mut future)`，async fn 的 Future 不是 Unpin。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

async fn launch() {}

pub fn poll_once() {
    let mut future = launch();
    let mut cx = Context::from_waker(Waker::noop());
    let _ = Pin::new(&mut future).poll(&mut cx);
}
