//! 示例 21-10：比较二进制大小用的小程序，Smol 版本（见示例 21-8）。

use std::time::Duration;

// ANCHOR: main
fn main() {
    smol::block_on(async {
        let worker = smol::spawn(async {
            smol::Timer::after(Duration::from_millis(1)).await;
            42
        });
        println!("结果：{}", worker.await);
    });
}
// ANCHOR_END: main
