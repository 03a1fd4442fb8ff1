//@ chapter: src/ch05-pin.md
//@ expect: error[E0382]
//@ expect: future.as_mut()
// 第 5 章：在循环里直接写 `future.poll(&mut cx)`，第一轮就把 `Pin<&mut F>` 移走了。
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

pub fn drive<F: Future>(future: Pin<&mut F>) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = future.poll(&mut cx) {
            return v;
        }
    }
}
