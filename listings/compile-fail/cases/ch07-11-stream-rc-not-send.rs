//! 示例 7-11（无法编译）：stream! 里的 Rc 跨过 yield，流就不是 Send，不能交给 tokio::spawn。
use async_stream::stream;
use futures::{Stream, StreamExt};
use std::rc::Rc;

// ANCHOR: rc
fn names() -> impl Stream<Item = String> {
    stream! {
        let names = Rc::new(vec!["alice".to_string(), "bob".to_string()]);
        for i in 0..names.len() {
            // yield 是一个挂起点：names 在它两侧都要用到。
            yield names[i].clone();
        }
    }
}

#[tokio::main]
async fn main() {
    let handle = tokio::spawn(async move { names().count().await });
    println!("{} 个名字", handle.await.unwrap());
}
// ANCHOR_END: rc
