//! 示例 5-3：哪些类型是 Unpin；对 Unpin 的类型，Pin 不限制任何事。
use std::marker::{PhantomData, PhantomPinned};
use std::pin::Pin;

// 让编译器回答“T 是否实现 Unpin”：固有方法优先于 trait 方法，
// 但这个固有方法只在 T: Unpin 时存在，否则落到 trait 的默认实现。
struct Probe<T: ?Sized>(PhantomData<T>);

trait NotUnpin {
    fn is_unpin(&self) -> bool {
        false
    }
}
impl<T: ?Sized> NotUnpin for Probe<T> {}

impl<T: ?Sized + Unpin> Probe<T> {
    fn is_unpin(&self) -> bool {
        true
    }
}

fn probe<T>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}

/// 检查一个类型。
macro_rules! of_type {
    ($t:ty) => {
        (stringify!($t), Probe::<$t>(PhantomData).is_unpin())
    };
}

/// 检查一个表达式的类型（用于写不出名字的类型，例如 async 块）。
macro_rules! of_value {
    ($label:expr, $e:expr) => {
        ($label, probe(&$e).is_unpin())
    };
}

// 与示例 5-2 相同的 Parser。
struct Parser {
    buf: [u8; 16],
    cursor: usize,
}

impl Parser {
    fn new() -> Self {
        Parser {
            buf: *b"self-referential",
            cursor: 0,
        }
    }

    fn start(&mut self) {
        self.cursor = self.buf.as_ptr() as usize;
    }

    fn cursor_valid(&self) -> bool {
        self.cursor == self.buf.as_ptr() as usize
    }
}

// ANCHOR: pinned_parser
/// 同样的字段，外加一个 PhantomPinned：它不占空间，唯一的作用是让类型不再是 Unpin。
#[allow(dead_code)] // 这里只用它的类型
struct PinnedParser {
    buf: [u8; 16],
    cursor: usize,
    _pin: PhantomPinned,
}
// ANCHOR_END: pinned_parser

async fn add_one(x: u32) -> u32 {
    x + 1
}

fn main() {
    // ANCHOR: table
    let rows = [
        of_type!(u32),
        of_type!(String),
        of_type!(&mut PinnedParser),
        of_type!(Parser),
        of_type!(PhantomPinned),
        of_type!(PinnedParser),
        of_type!(std::future::Ready<u32>),
        of_type!(tokio::time::Sleep),
        of_value!("async fn add_one 的 Future", add_one(1)),
        of_value!("async { 1 }（不借用、不等待）", async { 1 }),
        of_value!("Box<async 块>", Box::new(async { 1 })),
        of_value!("Pin<Box<async 块>>", Box::pin(async { 1 })),
        of_type!(Pin<&mut PinnedParser>),
    ];
    println!("Unpin  类型");
    for (what, unpin) in rows {
        println!("{unpin:<5}  {what}");
    }
    // ANCHOR_END: table

    // ANCHOR: swap
    // Parser 是 Unpin，Pin<Box<Parser>> 和 Box<Parser> 一样可以交出 &mut，
    // 值照样能被 swap 走：Pin 对 Unpin 的类型不做任何限制。
    let mut a = Box::pin(Parser::new());
    let mut b = Box::pin(Parser::new());
    a.start();
    std::mem::swap(&mut *a, &mut *b);
    println!("swap 之后 cursor 仍然有效：{}", b.cursor_valid());
    // ANCHOR_END: swap
}
