// ANCHOR: case
/// 完成式 I/O 的缓冲区约束，照 compio-buf 0.8.3 的 `IoBuf: 'static` 写成：
/// 交给内核的缓冲区必须拥有自己的数据，不能是借来的。
trait IoBufMut: AsMut<[u8]> + 'static {}
impl<T: AsMut<[u8]> + 'static> IoBufMut for T {}

/// 一次已经提交、尚未完成的读：缓冲区在它手里，完成时连同结果一起交还。
struct ReadOp<B> {
    buf: B,
}

fn submit_read<B: IoBufMut>(buf: B) -> ReadOp<B> {
    ReadOp { buf }
}

fn read_into_stack() -> usize {
    let mut local = [0u8; 16];
    // 借来的缓冲区：操作还在途时，函数可能已经返回（或 Future 被丢弃），
    // local 所在的栈帧随之失效，内核却还会往这个地址写。
    let op = submit_read(&mut local[..]);
    op.buf.len()
}
// ANCHOR_END: case

fn main() {
    println!("{}", read_into_stack());
}
