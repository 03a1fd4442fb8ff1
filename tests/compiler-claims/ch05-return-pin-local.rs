//@ chapter: src/ch05-pin.md
//@ expect: error[E0515]
// 第 5 章：`pin!` 返回的 `Pin<&mut T>` 借用当前作用域里的值，不能从函数里返回。
use std::future::Future;
use std::pin::{Pin, pin};

pub fn pinned() -> Pin<&'static mut impl Future<Output = ()>> {
    pin!(async {})
}
