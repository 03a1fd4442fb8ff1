//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: use of unstable library feature `async_drop`
//@ expect: issues/126482
// 第 6 章 6.8 节的表：异步析构。
pub use std::future::AsyncDrop;
