//! 示例 4-3：同一线程上两个 async 块的交错。
//!
//! 每个块执行两步，中间让出一次。程序比较四种组合方式得到的轨迹，
//! 并列出交错语义 ⊕ 给出的全部可能轨迹。

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::executor::block_on;

// ANCHOR: yield_now
/// 让出一次：第一次轮询返回 Pending（并唤醒自己），第二次返回 Ready。
struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            Poll::Ready(())
        } else {
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}
// ANCHOR_END: yield_now

// ANCHOR: process
/// 进程 `name1 → name2 → skip`：两个动作之间让出一次。
async fn process(name: &str, trace: &RefCell<Vec<String>>) {
    trace.borrow_mut().push(format!("{name}1"));
    yield_now().await;
    trace.borrow_mut().push(format!("{name}2"));
}
// ANCHOR_END: process

// ANCHOR: main
fn main() {
    // 组合一：futures::join!(A, B)。它每次被轮询时按书写顺序轮询 A、B。
    let t1 = RefCell::new(Vec::new());
    block_on(async {
        futures::join!(process("A", &t1), process("B", &t1));
    });

    // 组合二：futures::join!(B, A)。同一个执行器，只是换了书写顺序。
    let t2 = RefCell::new(Vec::new());
    block_on(async {
        futures::join!(process("B", &t2), process("A", &t2));
    });

    // 组合三：先 await A 再 await B，完全没有并发。
    let t3 = RefCell::new(Vec::new());
    block_on(async {
        process("A", &t3).await;
        process("B", &t3).await;
    });

    // 组合四：tokio::join!(A, B)。Tokio 的 join! 为了公平，每次被轮询时
    // 轮换先轮询哪一个子 Future（加 `biased;` 可关闭轮换）。
    let t4 = RefCell::new(Vec::new());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("创建 current_thread 运行时");
    rt.block_on(async {
        tokio::join!(process("A", &t4), process("B", &t4));
    });

    let observed = [
        ("futures::join!(A, B)", t1.into_inner()),
        ("futures::join!(B, A)", t2.into_inner()),
        ("先 A 后 B", t3.into_inner()),
        ("tokio::join!(A, B)", t4.into_inner()),
    ];
    for (how, trace) in &observed {
        println!("{how}：{}", trace.join(" "));
    }

    // ⊕ 的定义：保持各自内部顺序的全部合并方式。
    let all = interleavings(&["A1", "A2"], &["B1", "B2"]);
    println!("A ⊕ B 共有 {} 种交错：", all.len());
    for t in &all {
        let seen = observed.iter().any(|(_, o)| o == t);
        let mark = if seen { "  ← 本次观察到" } else { "" };
        println!("  {}{mark}", t.join(" "));
    }
}
// ANCHOR_END: main

// ANCHOR: interleavings
/// 两条序列的全部交错：每一步要么取 s 的下一个动作，要么取 t 的。
fn interleavings(s: &[&str], t: &[&str]) -> Vec<Vec<String>> {
    match (s.split_first(), t.split_first()) {
        (None, _) => vec![t.iter().map(|a| a.to_string()).collect()],
        (_, None) => vec![s.iter().map(|a| a.to_string()).collect()],
        (Some((a, s_rest)), Some((b, t_rest))) => {
            let mut out = Vec::new();
            for mut rest in interleavings(s_rest, t) {
                rest.insert(0, a.to_string());
                out.push(rest);
            }
            for mut rest in interleavings(s, t_rest) {
                rest.insert(0, b.to_string());
                out.push(rest);
            }
            out
        }
    }
}
// ANCHOR_END: interleavings
