//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: use of unstable library feature `async_iterator`
//@ expect: issues/79024
// 第 6 章 6.8 节的表：标准库的异步迭代器。
pub use std::async_iter::AsyncIterator;
