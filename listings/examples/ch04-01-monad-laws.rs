//! 示例 4-1：在真实的 Future 上检查三条单子定律。
//!
//! 构成单子的是类型构造器 `T ↦ BoxFuture<'static, T>`：`ret` 相当于 `return`，
//! `bind` 相当于 `>>=`。Future 本身不能比较相等，所以这里比较的是两边运行到底得到的值。

use futures::FutureExt;
use futures::executor::block_on;
use futures::future::{BoxFuture, ready};

// ANCHOR: monad
/// 类型构造器：把任意类型 `T` 映到“最终产出一个 `T` 的计算”。
/// 装箱之后，`ret` 和 `bind` 的结果都落在同一个类型里。
type M<T> = BoxFuture<'static, T>;

/// return：把一个现成的值包装成第一次轮询就就绪的计算。
fn ret<T: Send + 'static>(x: T) -> M<T> {
    ready(x).boxed()
}

/// bind（>>=）：`m` 完成后，把结果交给 `f`，再运行 `f` 返回的计算。
fn bind<A, B>(m: M<A>, f: impl FnOnce(A) -> M<B> + Send + 'static) -> M<B>
where
    A: Send + 'static,
    B: Send + 'static,
{
    m.then(f).boxed()
}
// ANCHOR_END: monad

// ANCHOR: laws
// f 与 g 接收一个值，返回一个新的计算（Haskell 里 a -> m b 形状的函数）。
// 用 async 块而不是 ret，让它们像真实的异步计算一样有自己的状态机。
fn f(x: i32) -> M<i32> {
    async move { x + 1 }.boxed()
}

fn g(x: i32) -> M<i32> {
    async move { x * 10 }.boxed()
}

// 一个“已有的计算” m。每次都重新构造，因为一个 Future 只能运行一次。
fn m(a: i32) -> M<i32> {
    async move { a - 3 }.boxed()
}

/// 把两边分别交给执行器跑完，比较结果并打印。
fn check(law: &str, lhs: M<i32>, rhs: M<i32>) {
    let (l, r) = (block_on(lhs), block_on(rhs));
    let verdict = if l == r { "相等" } else { "不相等" };
    println!("  {law}：左边得到 {l}，右边得到 {r}，{verdict}");
}

fn main() {
    for a in [0, 7, -5] {
        println!("a = {a}（m 计算 a - 3）");
        // 左单位元：return a >>= f  ≡  f a
        check("左单位元 bind(ret(a), f) ≡ f(a)", bind(ret(a), f), f(a));
        // 右单位元：m >>= return  ≡  m
        check("右单位元 bind(m, ret) ≡ m", bind(m(a), ret), m(a));
        // 结合律：(m >>= f) >>= g  ≡  m >>= (\x -> f x >>= g)
        check(
            "结合律 bind(bind(m, f), g) ≡ bind(m, |x| bind(f(x), g))",
            bind(bind(m(a), f), g),
            bind(m(a), |x| bind(f(x), g)),
        );
    }
}
// ANCHOR_END: laws
