//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: use of unstable library feature `async_fn_traits`
// 第 6 章 6.8 节的表：用 `AsyncFnOnce::CallOnceFuture` 约束异步闭包返回的 Future。
pub fn spawnable<F>(f: F) -> F
where
    F: AsyncFnOnce() -> u32,
    F::CallOnceFuture: Send,
{
    f
}
