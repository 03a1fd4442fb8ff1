//! 示例 10-2：Task 句柄的三种结局——等待、分离、丢弃（取消）。

use std::time::Duration;

use smol::{Executor, Timer, future};

/// 被丢弃时打印一行：用来观察任务的 Future 何时被销毁。
struct Guard(&'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        println!("  [{}] 的 Future 被销毁", self.0);
    }
}

// ANCHOR: main
fn main() {
    let ex = Executor::new();

    smol::block_on(ex.run(async {
        // 1. 丢弃 Task 句柄 = 取消任务：它还没被轮询过，一行也不会执行。
        let dropped = ex.spawn(async {
            let _g = Guard("丢弃");
            println!("这一行不会出现");
        });
        drop(dropped);
        println!("1. 丢弃句柄之后，任务已被取消");

        // 2. cancel().await 同样取消任务，并且等到它真的停下来；
        //    任务没来得及完成，所以得到 None。
        // Guard 被 move 进 Future：不论任务有没有开始运行，销毁 Future 都会销毁它。
        let guard = Guard("cancel");
        let endless = ex.spawn(async move {
            let _g = guard;
            future::pending::<u32>().await
        });
        println!("2. cancel 的结果：{:?}", endless.cancel().await);

        // 3. detach 之后没有句柄了，任务照样在执行器上运行；
        //    要拿到它的结果，只能另行安排，这里用一个通道。
        let (tx, rx) = smol::channel::bounded(1);
        ex.spawn(async move {
            Timer::after(Duration::from_millis(5)).await;
            tx.send("分离的任务完成了").await.ok();
        })
        .detach();
        println!("3. {}", rx.recv().await.unwrap());

        // 4. 分离后永远不结束的任务：run 返回时它仍在队列里。
        let guard = Guard("分离");
        ex.spawn(async move {
            let _g = guard;
            future::pending::<()>().await
        })
        .detach();
        println!("4. 主 Future 结束，ex.run 返回");
    }));

    // 执行器被销毁时，销毁所有还没完成的任务（包括分离的）。
    println!("销毁执行器：");
    drop(ex);
    println!("结束");
}
// ANCHOR_END: main
