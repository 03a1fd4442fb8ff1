//! 示例 21-9：比较二进制大小用的小程序，Tokio 版本（见示例 21-8）。

use std::time::Duration;

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let worker = tokio::spawn(async {
        tokio::time::sleep(Duration::from_millis(1)).await;
        42
    });
    println!("结果：{}", worker.await.unwrap());
}
// ANCHOR_END: main
