use std::future::{Future, poll_fn};
use std::task::{Context, Poll, Waker};

/// 被析构时打印自己的名字。
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  析构 {}", self.0);
    }
}

/// 一个挂起点：第一次轮询返回 Pending，第二次返回 Ready。
async fn suspend() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

// ANCHOR: job
async fn child(_m: Noisy) {
    let _inner = Noisy("inner");
    suspend().await;
}

async fn job(_p: Noisy) {
    let a = Noisy("a");
    {
        let _t = Noisy("t"); // 作用域在挂起点 1 之前就结束了
    }
    let _b = Noisy("b");
    println!("  停在挂起点 1");
    child(Noisy("m")).await; // 挂起点 1：m 被移进了子 Future
    drop(a); // a 在挂起点 2 之前被手动丢弃
    let _c = Noisy("c");
    println!("  停在挂起点 2");
    suspend().await; // 挂起点 2
    println!("  执行完毕");
}
// ANCHOR_END: job

// ANCHOR: main
fn main() {
    let mut cx = Context::from_waker(Waker::noop());
    for polls in 0..=3 {
        println!("轮询 {polls} 次后丢弃：");
        let mut fut = Box::pin(job(Noisy("p")));
        for _ in 0..polls {
            let _ = fut.as_mut().poll(&mut cx);
        }
        println!("  -- drop(fut) --");
        drop(fut); // 取消 = 丢弃：停在哪个挂起点，就析构那时还活着的值
    }
}
// ANCHOR_END: main
