//@ chapter: src/ch02-future-state-machine.md
//@ nightly
//@ expect: error[E0626]
// 第 2 章：可移动的协程（nightly 的 coroutines 特性）里跨挂起点的借用直接报错。
// `//@ nightly` 让测试以 RUSTC_BOOTSTRAP=1 运行同一个 rustc 1.95，打开不稳定特性。
#![feature(coroutines, stmt_expr_attributes)]

pub fn movable() {
    let _ = #[coroutine]
    || {
        let data = [1u8; 4];
        let first = &data[0];
        yield;
        let _ = *first;
    };
}
