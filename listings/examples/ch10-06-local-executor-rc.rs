//! 示例 10-6：LocalExecutor 运行不是 Send 的 Future，任务之间用 Rc 共享数据。

use std::cell::RefCell;
use std::rc::Rc;

use smol::{LocalExecutor, future};

// ANCHOR: rc
fn share_with_rc() {
    let local_ex = LocalExecutor::new();

    smol::block_on(local_ex.run(async {
        // Rc<RefCell<_>> 不是 Send：只能留在创建它的线程上。
        let data = Rc::new(RefCell::new(vec![1, 2, 3]));

        let tasks: Vec<_> = (4..=5)
            .map(|n| {
                let data = Rc::clone(&data);
                // async move 捕获了 Rc，所以这些 Future 都不是 Send（有没有 .await 都一样）；
                // LocalExecutor::spawn 不要求 Send，照样接受。
                local_ex.spawn(async move {
                    future::yield_now().await;
                    data.borrow_mut().push(n);
                })
            })
            .collect();

        println!("Rc 的引用计数：{}", Rc::strong_count(&data));
        for task in tasks {
            task.await;
        }
        // 两个任务写入的先后取决于调度顺序，排序后输出，结果才确定。
        let mut result = data.borrow().clone();
        result.sort();
        println!("数据：{result:?}");
        println!("任务结束后的引用计数：{}", Rc::strong_count(&data));
    }));
}
// ANCHOR_END: rc

// ANCHOR: borrow
fn borrow_from_stack() {
    // 先声明的变量后销毁：greeting 比执行器活得久，
    // 所以执行器上的任务可以直接借用它，不需要 'static。
    let greeting = String::from("你好");
    let local_ex = LocalExecutor::new();

    let task = local_ex.spawn(async { format!("{greeting}，LocalExecutor") });
    println!("{}", smol::block_on(local_ex.run(task)));
}
// ANCHOR_END: borrow

fn main() {
    share_with_rc();
    borrow_from_stack();
}
