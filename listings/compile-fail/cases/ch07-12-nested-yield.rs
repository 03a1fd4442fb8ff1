//! 示例 7-12（无法编译）：stream! 只改写直接写在宏里的 yield，嵌套的 async 块里的 yield 是不稳定的语法。
use async_stream::stream;
use futures::{Stream, StreamExt};

// ANCHOR: nested
fn with_doubles(numbers: Vec<u32>) -> impl Stream<Item = u32> {
    stream! {
        for n in numbers {
            yield n; // 直接写在宏里：宏把它改写成一次交接
            let twice = async move {
                // 宏不进入嵌套的 async 块：这个 yield 原样留给了编译器。
                yield n * 2;
            };
            twice.await;
        }
    }
}
// ANCHOR_END: nested

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let all: Vec<u32> = with_doubles(vec![1, 2, 3]).collect().await;
    println!("{all:?}");
}
