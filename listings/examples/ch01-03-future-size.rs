//! 示例 1-3：一个 Future 占多少字节。
use std::mem::size_of_val;
use std::time::Duration;
use tokio::task::yield_now;

// ANCHOR: fns
async fn nothing() {}

async fn add_one(x: u64) -> u64 {
    yield_now().await; // 一个挂起点：x 必须跨过它保存下来
    x + 1
}

async fn holds_buffer() -> usize {
    let buf = [1u8; 1024];
    yield_now().await; // buf 在挂起点之后还要用，所以它是状态的一部分
    buf.len()
}

async fn buffer_dropped_before_await() -> usize {
    let sum = {
        let buf = [1u8; 1024];
        buf.iter().map(|&b| b as usize).sum()
    }; // buf 在这里已经释放，只有 sum 跨过挂起点
    yield_now().await;
    sum
}

async fn calls_holds_buffer() -> usize {
    holds_buffer().await + 1 // 被等待的子 Future 内嵌在外层状态里
}
// ANCHOR_END: fns

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 调用 async fn 只是构造一个 Future 值，函数体还没有执行。
    let futures: [(&str, usize); 7] = [
        ("async fn nothing()", size_of_val(&nothing())),
        ("async fn add_one(u64)", size_of_val(&add_one(1))),
        ("async fn holds_buffer()", size_of_val(&holds_buffer())),
        (
            "async fn buffer_dropped_before_await()",
            size_of_val(&buffer_dropped_before_await()),
        ),
        (
            "async fn calls_holds_buffer()",
            size_of_val(&calls_holds_buffer()),
        ),
        (
            "tokio::time::sleep(..)",
            size_of_val(&tokio::time::sleep(Duration::from_millis(1))),
        ),
        (
            "Box::pin(holds_buffer())",
            size_of_val(&Box::pin(holds_buffer())),
        ),
    ];
    for (what, bytes) in futures {
        println!("{what:<40} {bytes:>5} 字节");
    }

    // 大小与是否执行无关：真正执行一遍，确认它们都能完成。
    let (a, b, c) = (
        add_one(41).await,
        holds_buffer().await,
        calls_holds_buffer().await,
    );
    println!("执行结果：{a}、{b}、{c}");
}
// ANCHOR_END: main
