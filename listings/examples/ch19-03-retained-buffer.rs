//! 示例 19-3：零拷贝的切片会拖住整块读缓冲区。
//!
//! 用示例 19-2 的解码器模拟一个连接的读缓冲区：解出一条 SET，把值留下来，
//! 再看读缓冲区能不能原地重用它那 8 KiB 的内存。
//!
//! 运行：`cargo run --example ch19-03-retained-buffer`

#[path = "ch19-02-resp-codec.rs"]
#[allow(dead_code)]
mod resp;

use bytes::{Bytes, BytesMut};
use tokio_util::codec::Decoder;

use resp::RespCodec;

// ANCHOR: main
/// tokio-util 的 Framed 给读缓冲区的初始容量也是 8 KiB。
const CAPACITY: usize = 8 * 1024;

/// 收到一条 SET，解出它，返回命令里的值（读缓冲区的一个切片）。
fn receive_set(codec: &mut RespCodec, read_buf: &mut BytesMut) -> Bytes {
    read_buf.extend_from_slice(b"*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$5\r\nworld\r\n");
    let command = codec.decode(read_buf).unwrap().unwrap();
    command[2].clone() // 命令的其余部分（整个 Vec）在这里被丢弃
}

fn main() {
    let mut codec = RespCodec::default();
    let mut read_buf = BytesMut::with_capacity(CAPACITY);

    // 做法一：把切片原样存起来。
    let kept = receive_set(&mut codec, &mut read_buf);
    println!(
        "存下切片 {kept:?}，读缓冲区能原地重用吗？{}",
        read_buf.try_reclaim(CAPACITY)
    );
    drop(kept);
    println!("切片被丢弃之后呢？{}", read_buf.try_reclaim(CAPACITY));

    // 做法二：复制一份再存。
    let slice = receive_set(&mut codec, &mut read_buf);
    let copied = Bytes::copy_from_slice(&slice);
    drop(slice);
    println!(
        "存下复制的 {copied:?}，读缓冲区能原地重用吗？{}",
        read_buf.try_reclaim(CAPACITY)
    );
}
// ANCHOR_END: main
