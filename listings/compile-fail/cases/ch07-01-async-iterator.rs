//! 示例 7-1（无法编译）：标准库的 AsyncIterator 和 `for await` 在稳定版 Rust 上都不能用。

// ANCHOR: unstable
async fn sum(numbers: impl std::async_iter::AsyncIterator<Item = u32>) -> u32 {
    let mut total = 0;
    // 像 for 遍历 Iterator 那样遍历一个异步序列：这正是大家想要的写法。
    for await n in numbers {
        total += n;
    }
    total
}
// ANCHOR_END: unstable

fn main() {}
