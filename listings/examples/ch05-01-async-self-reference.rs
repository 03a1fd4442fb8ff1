//! 示例 5-1：跨 .await 的借用被存进了 Future 自己的内存，状态机因此指向它自己。
use std::cell::Cell;
use std::future::Future;
use std::mem::size_of_val;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// 第一次被轮询时返回 Pending，第二次返回 Ready：一个最简单的挂起点。
struct YieldOnce {
    yielded: bool,
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

// ANCHOR: async_fn
/// 记下 async fn 内部三个位置的地址，只用来比较，不打印。
#[derive(Default)]
struct Seen {
    buf: Cell<usize>,
    word_slot: Cell<usize>,
    word_target: Cell<usize>,
}

async fn first_word(seen: &Seen) -> usize {
    let buf = *b"pinned state machine";
    let word: &[u8] = &buf[..6]; // word 借用 buf
    YieldOnce { yielded: false }.await; // buf 和 word 都要活过这个挂起点

    seen.buf.set(buf.as_ptr() as usize); // buf 放在哪里
    seen.word_slot.set(&word as *const &[u8] as usize); // 引用 word 本身放在哪里
    seen.word_target.set(word.as_ptr() as usize); // word 指向哪里
    word.len()
}
// ANCHOR_END: async_fn

// ANCHOR: main
fn main() {
    let seen = Seen::default();
    let mut future = pin!(first_word(&seen));

    // 这个 Future 占据的内存区间 [start, end)。
    let start = &*future as *const _ as usize;
    let end = start + size_of_val(&*future);
    let inside = |addr: usize| (start..end).contains(&addr);

    let mut cx = Context::from_waker(Waker::noop());
    for n in 1.. {
        match future.as_mut().poll(&mut cx) {
            Poll::Pending => println!("第 {n} 次轮询：Pending"),
            Poll::Ready(len) => {
                println!("第 {n} 次轮询：Ready({len})");
                break;
            }
        }
    }

    println!("buf 存放在 Future 内部：{}", inside(seen.buf.get()));
    println!(
        "引用 word 本身存放在 Future 内部：{}",
        inside(seen.word_slot.get())
    );
    println!("word 指向 Future 内部：{}", inside(seen.word_target.get()));
    println!(
        "word 指向的正是 buf：{}",
        seen.word_target.get() == seen.buf.get()
    );
}
// ANCHOR_END: main
