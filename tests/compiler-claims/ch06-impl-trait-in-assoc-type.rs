//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: `impl Trait` in associated types is unstable
//@ expect: issues/63063
// 第 6 章 6.8 节的表：关联类型中的 `impl Trait`。
use std::future::Future;

pub trait Fetch {
    type Fut: Future<Output = u32>;
    fn fetch(&self) -> Self::Fut;
}

pub struct Zero;

impl Fetch for Zero {
    type Fut = impl Future<Output = u32>;
    fn fetch(&self) -> Self::Fut {
        async { 0 }
    }
}
