//! 示例 12-6：在 Smol 里调用一个离不开 Tokio 的库函数。直接调用会 panic；
//! 套上 async-compat 的 Compat，它在每次轮询时进入一个 Tokio 运行时的上下文，就能用了。

use std::panic;
use std::time::Duration;

use async_compat::CompatExt;

// ANCHOR: library
/// 代表任何建立在 Tokio 之上的库：它用了 Tokio 的计时器，离开 Tokio 运行时就不能工作。
async fn tokio_based_library() -> String {
    tokio::time::sleep(Duration::from_millis(5)).await;
    let in_tokio = tokio::runtime::Handle::try_current().is_ok();
    let thread = std::thread::current().name().unwrap_or("?").to_string();
    format!("计时器到期；在 Tokio 上下文中：{in_tokio}；轮询它的线程：{thread}")
}
// ANCHOR_END: library

fn main() {
    // 下面故意触发一次 panic；换一个什么也不打印的钩子，免得默认钩子往标准错误写。
    panic::set_hook(Box::new(|_| {}));

    // ANCHOR: without
    // 不加 Compat：Tokio 的计时器在创建时就要找当前的 Tokio 运行时，找不到就 panic。
    let result = panic::catch_unwind(|| smol::block_on(tokio_based_library()));
    let payload = result.unwrap_err();
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("?");
    println!("不加 Compat：panic：{message}");
    // ANCHOR_END: without

    // ANCHOR: with
    // 加上 Compat：Future 仍由 smol::block_on 在本线程上轮询，
    // 每次轮询时 Compat 进入 async-compat 在后台线程上启动的 Tokio 运行时的上下文。
    let report = smol::block_on(tokio_based_library().compat());
    println!("加上 Compat：{report}");
    // ANCHOR_END: with
}
