//! 示例 7-8（无法编译）：两个 StreamExt 同时在作用域里，同名方法有歧义。
// ANCHOR: ambiguous
use futures::StreamExt;
// `as _` 只是不给 trait 起名字，它的方法照样在作用域里。
use tokio_stream::StreamExt as _;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut numbers = futures::stream::iter([1, 2, 3]);
    while let Some(n) = numbers.next().await {
        println!("{n}");
    }
}
// ANCHOR_END: ambiguous
