//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: `async` trait bounds are unstable
//@ expect: AsyncFn
//@ expect: issues/62290
// 第 6 章 6.8 节的表：`async Fn()` 写法的约束。
pub async fn call(f: impl async Fn() -> u32) -> u32 {
    f().await
}
