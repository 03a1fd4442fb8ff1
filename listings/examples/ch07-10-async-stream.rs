//! 示例 7-10：用 async-stream 的 stream! 和 try_stream! 写流，不必手写 poll_next。
use async_stream::{stream, try_stream};
use futures::{Stream, StreamExt};
use std::num::ParseIntError;
use std::pin::pin;
use tokio::time::{Duration, sleep};

// ANCHOR: pages
/// 模拟一个分页接口：每取一页要等 100 毫秒，每页 2 条。调用者只看见一条扁平的流。
fn items(pages: u32) -> impl Stream<Item = u32> {
    stream! {
        for page in 0..pages {
            println!("  [流] 请求第 {page} 页");
            sleep(Duration::from_millis(100)).await;
            for i in 0..2 {
                yield page * 10 + i;
            }
        }
        println!("  [流] 没有更多的页了");
    }
}
// ANCHOR_END: pages

// ANCHOR: for_await
/// 在 stream! 里可以用 for await 遍历另一个流：这是宏自己实现的写法，不是语言特性。
fn doubled(input: impl Stream<Item = u32>) -> impl Stream<Item = u32> {
    stream! {
        for await x in input {
            yield x * 2;
        }
    }
}
// ANCHOR_END: for_await

// ANCHOR: try_stream
/// try_stream! 里可以用 ?：出错时流交出这个 Err，然后结束。
fn parse_all(lines: Vec<&'static str>) -> impl Stream<Item = Result<u32, ParseIntError>> {
    try_stream! {
        for line in lines {
            let n: u32 = line.parse()?;
            yield n;
        }
    }
}
// ANCHOR_END: try_stream

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    // stream! 生成的类型不是 Unpin，调用 next() 之前先固定。
    let mut s = pin!(items(2));
    while let Some(x) = s.next().await {
        println!("取得 {x}");
    }

    let d: Vec<u32> = doubled(items(1)).collect().await;
    println!("doubled：{d:?}");

    let parsed: Vec<_> = parse_all(vec!["1", "2", "三", "4"]).collect().await;
    println!("try_stream：{parsed:?}");

    // 流是 Send 的（它的内容都是 Send），可以整个交给另一个任务。
    let handle = tokio::spawn(async move { items(1).count().await });
    println!("在派生的任务里数出 {} 个元素", handle.await.unwrap());
    // ANCHOR_END: main
}
