//! 示例 5-5（无法编译）：把一个 !Unpin 的值从 Pin<Box<_>> 里换出来。
use std::marker::PhantomPinned;

// 与示例 5-3 相同的 PinnedParser。
struct PinnedParser {
    buf: [u8; 16],
    cursor: usize,
    _pin: PhantomPinned,
}

impl PinnedParser {
    fn new() -> Self {
        PinnedParser {
            buf: *b"self-referential",
            cursor: 0,
            _pin: PhantomPinned,
        }
    }
}

fn main() {
    // ANCHOR: replace
    let pinned = Box::pin(PinnedParser::new());

    // 想把固定住的值换出来（移动它），就得先拿到 &mut PinnedParser。
    let old = std::mem::replace(&mut *pinned, PinnedParser::new());
    // ANCHOR_END: replace
    println!("{} {}", old.buf.len(), old.cursor);
}
