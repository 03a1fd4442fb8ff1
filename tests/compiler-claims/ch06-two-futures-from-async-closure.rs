//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0499]
// 第 6 章：同时持有同一个 `AsyncFnMut` 闭包返回的两个 Future。
pub async fn twice(mut op: impl AsyncFnMut() -> u32) -> u32 {
    let first = op();
    let second = op();
    first.await + second.await
}
