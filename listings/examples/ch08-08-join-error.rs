use std::any::Any;
use std::panic;

use tokio::time::{Duration, sleep};

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  析构 {}", self.0);
    }
}

/// 取出 panic 载荷里的消息：panic!("字面量") 是 &str，带格式参数的是 String。
fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "（不是字符串的载荷）"
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // 默认的 panic 钩子会把“thread ... panicked at ...”写到标准错误；
    // 示例换上一个什么也不做的钩子，只看 JoinError 里的内容。
    panic::set_hook(Box::new(|_| {}));

    // ANCHOR: panic
    let sibling = tokio::spawn(async {
        sleep(Duration::from_secs(1)).await;
        "兄弟任务照常完成"
    });
    let handle = tokio::spawn(async {
        let _conn = Noisy("panic 任务的局部变量");
        let field = "port";
        panic!("配置缺少字段 {field}"); // 展开栈时，局部变量照常析构
    });

    let err = handle.await.unwrap_err();
    println!(
        "is_panic = {}, is_cancelled = {}",
        err.is_panic(),
        err.is_cancelled()
    );
    let payload = err.into_panic(); // Box<dyn Any + Send>：panic! 的载荷
    println!("载荷：{}", message(&*payload));
    println!("{}", sibling.await.unwrap());
    // ANCHOR_END: panic

    // ANCHOR: try_into
    let cancelled = tokio::spawn(sleep(Duration::from_secs(10)));
    cancelled.abort();
    let err = cancelled.await.unwrap_err();
    // 被取消的任务没有载荷：into_panic 会 panic，try_into_panic 把错误原样还回来。
    match err.try_into_panic() {
        Ok(_) => println!("有载荷"),
        Err(err) => println!("没有载荷，is_cancelled = {}", err.is_cancelled()),
    }
    // ANCHOR_END: try_into

    // ANCHOR: resume
    // 上层任务用 resume_unwind 把子任务的 panic 原样抛给自己的等待者。
    let supervisor = tokio::spawn(async {
        let worker = tokio::spawn(async { panic!("工作任务出错") });
        match worker.await {
            Ok(()) => {}
            Err(e) if e.is_panic() => panic::resume_unwind(e.into_panic()),
            Err(_) => println!("工作任务被取消"),
        }
    });
    let err = supervisor.await.unwrap_err();
    println!(
        "上层任务带着同一个载荷 panic：{}",
        message(&*err.into_panic())
    );
    // ANCHOR_END: resume
}
