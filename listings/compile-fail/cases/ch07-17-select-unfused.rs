//! 示例 7-17（无法编译）：futures 的 select! 要求分支是 FusedFuture，没有 fuse() 的流不行。
use futures::select_biased;
use futures::stream::{self, StreamExt};
use std::pin::pin;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: unfused
    // fast 少了 .fuse()：它的 next() 返回的 Next<…> 不实现 FusedFuture。
    let mut fast = pin!(stream::iter(1..=3).then(|i| async move { i }));
    let mut slow = pin!(stream::iter(1..=2).then(|i| async move { i * 10 }).fuse());
    loop {
        select_biased! {
            x = fast.next() => println!("fast 分支 {x:?}"),
            x = slow.next() => println!("slow 分支 {x:?}"),
            complete => break,
        }
    }
    // ANCHOR_END: unfused
}
