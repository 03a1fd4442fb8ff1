//@ chapter: src/ch05-pin.md
//@ expect: error[E0716]
// 第 5 章：`pin!` 得到的 `Pin<&mut T>` 不能活得比所在的代码块更久。
use std::future::Future;
use std::pin::{Pin, pin};

pub fn outlives() {
    let kept: Pin<&mut dyn Future<Output = ()>>;
    {
        kept = pin!(async {});
    }
    drop(kept);
}
