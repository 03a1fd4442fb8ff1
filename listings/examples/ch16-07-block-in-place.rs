use std::any::Any;
use std::panic::catch_unwind;
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::time::sleep;

/// 取出 panic 载荷里消息的第一句。
fn first_sentence(payload: &(dyn Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "（不是字符串的载荷）"
    };
    text.split(". ").next().unwrap_or(text).to_string()
}

fn show(how: &str, result: std::thread::Result<String>) {
    match result {
        Ok(v) => println!("  {how}：{v}"),
        Err(payload) => println!("  {how}：panic：{}", first_sentence(&*payload)),
    }
}

// ANCHOR: lookup
/// 一段同步代码（比如老库的回调），它要等一个异步操作的结果。
fn lookup(key: &str) -> String {
    Handle::current().block_on(async {
        sleep(Duration::from_millis(1)).await;
        format!("{key} 的值")
    })
}
// ANCHOR_END: lookup

// ANCHOR: three_ways
/// 在一个任务里，用三种方式调用同步的 lookup。
async fn three_ways() {
    let direct = catch_unwind(|| lookup("a"));
    show("直接调用", direct);

    let in_place = catch_unwind(|| tokio::task::block_in_place(|| lookup("b")));
    show("block_in_place", in_place);

    let blocking = tokio::task::spawn_blocking(|| lookup("c")).await;
    show("spawn_blocking", blocking.map_err(|e| e.into_panic()));
}

fn main() {
    // 换上安静的 panic 钩子：下面故意触发的 panic 不往标准错误写消息。
    std::panic::set_hook(Box::new(|_| {}));

    let runtimes: [(&str, Runtime); 2] = [
        (
            "current_thread",
            Builder::new_current_thread().enable_all().build().unwrap(),
        ),
        (
            "multi_thread",
            Builder::new_multi_thread().enable_all().build().unwrap(),
        ),
    ];
    for (flavor, rt) in runtimes {
        println!("{flavor} 运行时：");
        // 放进派生的任务里：多线程运行时上，它就运行在一个工作线程上。
        rt.block_on(async { tokio::spawn(three_ways()).await.unwrap() });
    }
}
// ANCHOR_END: three_ways
