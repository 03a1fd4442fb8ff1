//@ chapter: src/ch02-future-state-machine.md
//@ chapter: src/errata.md
//@ expect: error[E0382]
// 第 2 章：`get_mut()` 按值消耗 `Pin<&mut Self>`，写在 `loop` 里，第二轮就在使用已被移走的 `self`。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct Steps {
    left: u32,
}

impl Future for Steps {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        loop {
            let this = self.get_mut();
            if this.left == 0 {
                return Poll::Ready(());
            }
            this.left -= 1;
        }
    }
}
