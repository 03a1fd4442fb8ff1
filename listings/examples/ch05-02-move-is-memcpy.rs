//! 示例 5-2：移动就是把字节复制到新位置；指向旧位置的“指针”不会跟着更新。

// ANCHOR: tracker
/// 模仿示例 5-1 的状态机：`cursor` 应当指向自己的 `buf`。
/// 安全代码写不出真正指向自身的引用，这里把地址记成 usize，只用来比较。
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

    /// 相当于状态机第一次被轮询：从此 cursor 指向 self.buf。
    fn start(&mut self) {
        self.cursor = self.buf.as_ptr() as usize;
    }

    /// cursor 是否仍然指向自己的 buf。
    fn cursor_valid(&self) -> bool {
        self.cursor == self.buf.as_ptr() as usize
    }
}
// ANCHOR_END: tracker

// ANCHOR: main
fn main() {
    let mut parser = Parser::new();
    parser.start();
    println!("记下位置之后：{}", parser.cursor_valid());

    // 移进 Box：值被逐字节复制到堆上，cursor 还是栈上的旧地址。
    let mut boxed = Box::new(parser);
    println!("移进 Box（复制到堆上）之后：{}", boxed.cursor_valid());

    // 在堆上重新记下位置，然后只移动 Box 这个指针：堆上的值没有动。
    boxed.start();
    let moved_box = boxed;
    let mut list = [moved_box];
    println!("移动 Box 本身之后：{}", list[0].cursor_valid());

    // 但 Box 并不阻止别人通过 &mut 把值本身搬走。
    let mut other = Box::new(Parser::new());
    std::mem::swap(&mut *list[0], &mut *other);
    println!(
        "通过 &mut 把值 swap 到另一个 Box 之后：{}",
        other.cursor_valid()
    );
}
// ANCHOR_END: main
