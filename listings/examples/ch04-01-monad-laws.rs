//! 示例 4-1：在真实的 Future 上检查三条 Monad 定律。
//!
//! `ready` 相当于 `return`，`FutureExt::then` 相当于 `>>=`。
//! Future 本身不能比较相等，所以这里比较的是两边运行到底得到的值。

use std::future::Future;

use futures::FutureExt;
use futures::executor::block_on;
use futures::future::{BoxFuture, ready};

// ANCHOR: laws
// f 与 g 接收一个值，返回一个新的 Future（Haskell 里 a -> m b 形状的函数）。
// 用 async 块而不是 ready，让它们像真实的异步计算一样有自己的状态机。
fn f(x: i32) -> BoxFuture<'static, i32> {
    async move { x + 1 }.boxed()
}

fn g(x: i32) -> BoxFuture<'static, i32> {
    async move { x * 10 }.boxed()
}

// 一个“已有的计算” m。每次都重新构造，因为一个 Future 只能运行一次。
fn m(a: i32) -> BoxFuture<'static, i32> {
    async move { a - 3 }.boxed()
}

/// 把两边分别交给执行器跑完，比较结果并打印。
fn check(law: &str, lhs: impl Future<Output = i32>, rhs: impl Future<Output = i32>) {
    let (l, r) = (block_on(lhs), block_on(rhs));
    let verdict = if l == r { "相等" } else { "不相等" };
    println!("  {law}：左边得到 {l}，右边得到 {r}，{verdict}");
}

fn main() {
    for a in [0, 7, -5] {
        println!("a = {a}（m 计算 a - 3）");
        // 左单位元：return a >>= f  ≡  f a
        check("左单位元 ready(a).then(f) ≡ f(a)", ready(a).then(f), f(a));
        // 右单位元：m >>= return  ≡  m
        check("右单位元 m.then(ready) ≡ m", m(a).then(ready), m(a));
        // 结合律：(m >>= f) >>= g  ≡  m >>= (\x -> f x >>= g)
        check(
            "结合律 m.then(f).then(g) ≡ m.then(|x| f(x).then(g))",
            m(a).then(f).then(g),
            m(a).then(|x| f(x).then(g)),
        );
    }
}
// ANCHOR_END: laws
