//! 示例 21-8：比较二进制大小用的小程序，只用标准库。
//! 三个版本（21-8、21-9、21-10）做同一件事：另开一个执行单元，等一小会儿，交回一个数。

use std::time::Duration;

// ANCHOR: main
fn main() {
    let worker = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(1));
        42
    });
    println!("结果：{}", worker.join().unwrap());
}
// ANCHOR_END: main
