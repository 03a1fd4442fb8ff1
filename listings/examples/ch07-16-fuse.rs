//! 示例 7-16：流结束之后再轮询会怎样；fuse() 与 futures 的 select!。
use futures::stream::{self, FusedStream, StreamExt};
use futures::{select_biased, task::Poll};
use std::pin::pin;
use tokio::time::{Duration, Instant, sleep};

// ANCHOR: restart
/// 交出 1、2，然后 None；再被轮询，又从 4 开始交出值。
/// 这是合法的实现：Stream 的约定没有规定结束之后再轮询会发生什么。
fn restarting() -> impl futures::Stream<Item = u32> + Unpin {
    let mut calls = 0;
    stream::poll_fn(move |_cx| {
        calls += 1;
        match calls {
            3 => Poll::Ready(None),
            n => Poll::Ready(Some(n)),
        }
    })
}
// ANCHOR_END: restart

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: fuse
    let mut raw = restarting();
    let mut got = Vec::new();
    for _ in 0..5 {
        got.push(raw.next().await);
    }
    println!("不熔断：{got:?}");

    let mut fused = restarting().fuse();
    let mut got = Vec::new();
    for _ in 0..5 {
        got.push(fused.next().await);
    }
    println!(
        "fuse() 之后：{got:?}，is_terminated = {}",
        fused.is_terminated()
    );
    // ANCHOR_END: fuse

    // ANCHOR: select
    let start = Instant::now();
    let every = |ms: u64, label: &'static str, count: u64| {
        stream::iter(1..=count).then(move |i| async move {
            sleep(Duration::from_millis(ms)).await;
            format!("{label}{i}")
        })
    };
    // futures 的 select! 要求每个分支是 FusedFuture：流要先 fuse()，再固定。
    let mut fast = pin!(every(30, "快", 3).fuse());
    let mut slow = pin!(every(50, "慢", 2).fuse());
    loop {
        // select_biased! 按书写顺序检查分支，输出因此是确定的。
        select_biased! {
            x = fast.next() => println!("{:>3} 毫秒：fast 分支 {x:?}", start.elapsed().as_millis()),
            x = slow.next() => println!("{:>3} 毫秒：slow 分支 {x:?}", start.elapsed().as_millis()),
            // 所有分支都已熔断（is_terminated）时执行。
            complete => break,
        }
    }
    println!("{:>3} 毫秒：两个流都结束了", start.elapsed().as_millis());
    // ANCHOR_END: select
}
