//@ chapter: src/ch02-future-state-machine.md
//@ chapter: src/errata.md
//@ expect: error[E0599]
// 第 2 章：对 `&mut F` 直接调用 `.poll(cx)`：`poll` 的接收者是 `Pin<&mut Self>`。
use std::future::Future;
use std::task::{Context, Poll};

pub fn poll_child<F: Future + Unpin>(child: &mut F, cx: &mut Context<'_>) -> Poll<F::Output> {
    child.poll(cx)
}
