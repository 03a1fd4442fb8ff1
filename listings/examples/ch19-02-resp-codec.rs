//! 示例 19-2：RESP 的编解码器。
//!
//! 解码：把读缓冲区里的字节切成一条条命令（命令名与参数），一条命令只分配一个 `Vec`，
//! 参数本身是同一块缓冲区的零拷贝切片。编码：把回复写进写缓冲区。
//! 示例 19-3、19-5、19-6 把这个文件当作模块 `resp` 引入。
//!
//! 运行：`cargo run --example ch19-02-resp-codec`

use std::fmt::{self, Write as _};
use std::io;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

// ANCHOR: limits
/// 一个字符串参数最长多少字节。Redis 的默认上限（proto-max-bulk-len）是 512 MB，
/// 这里小得多：声明的长度超过它，连数据都不必等，立即拒绝。
pub const MAX_BULK: usize = 1 << 20;
/// 一条命令最多几个参数。
pub const MAX_ARGS: usize = 1024;
/// `*3`、`$5` 这样的头部一行最长多少字节（不含结尾的 \r\n）。
const MAX_LINE: usize = 32;
// ANCHOR_END: limits

// ANCHOR: frame
/// 服务器发出的回复（RESP2 的五种类型）。
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// `+OK\r\n`：简单字符串。服务器只发固定的几个，用 `&'static str` 免去分配。
    Simple(&'static str),
    /// `-ERR …\r\n`：错误。
    Error(String),
    /// `:42\r\n`：整数。
    Integer(i64),
    /// `$5\r\nhello\r\n`：二进制安全的字符串。
    Bulk(Bytes),
    /// `$-1\r\n`：空值（GET 一个不存在的键）。
    Null,
    /// `*2\r\n…`：数组，元素可以是任意类型。
    Array(Vec<Frame>),
}

/// 客户端发来的一条命令：命令名和参数，都是字节串。
pub type Command = Vec<Bytes>;

/// 编解码出错：底层 I/O 出错，或者对方发来的字节不合协议。
#[derive(Debug)]
pub enum RespError {
    Io(io::Error),
    /// 协议错误：连接上的字节已经无法再对齐到帧的边界，只能回一个错误然后关闭连接。
    Protocol(String),
}
// ANCHOR_END: frame

impl From<io::Error> for RespError {
    fn from(e: io::Error) -> Self {
        RespError::Io(e)
    }
}

impl fmt::Display for RespError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RespError::Io(e) => write!(f, "I/O 错误：{e}"),
            RespError::Protocol(msg) => write!(f, "Protocol error: {msg}"),
        }
    }
}

impl std::error::Error for RespError {}

fn protocol<T>(msg: impl Into<String>) -> Result<T, RespError> {
    Err(RespError::Protocol(msg.into()))
}

/// RESP 的编解码器。`spans` 是解码时记录参数位置的草稿，在命令之间复用，不再分配。
#[derive(Debug, Default)]
pub struct RespCodec {
    spans: Vec<(usize, usize)>,
}

// ANCHOR: line
/// 从 `buf[pos..]` 读一行头部：前缀字节 `prefix` 加一个十进制整数，以 \r\n 结尾。
/// 返回（整数，下一行的起点）；这一行还没收全时返回 `Ok(None)`。
fn header(
    buf: &[u8],
    pos: usize,
    prefix: u8,
    what: &str,
) -> Result<Option<(i64, usize)>, RespError> {
    let Some(&first) = buf.get(pos) else {
        return Ok(None);
    };
    if first != prefix {
        return protocol(format!(
            "expected '{}', got '{}'",
            prefix as char,
            first.escape_ascii()
        ));
    }
    let rest = &buf[pos + 1..];
    let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
        // 还没看到行尾。头部很短，等了这么多字节还没有行尾，就不是 RESP。
        return if rest.len() > MAX_LINE {
            protocol(format!("too big {what} line"))
        } else {
            Ok(None)
        };
    };
    let n = std::str::from_utf8(&rest[..end])
        .ok()
        .and_then(|s| s.parse::<i64>().ok());
    match n {
        Some(n) => Ok(Some((n, pos + 1 + end + 2))),
        None => protocol(format!("invalid {what} length")),
    }
}
// ANCHOR_END: line

// ANCHOR: decode
impl Decoder for RespCodec {
    type Item = Command;
    type Error = RespError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Command>, RespError> {
        loop {
            // 第一遍只检查：这一帧收全了没有，每个参数在哪里。什么也不拷贝。
            let Some((count, mut pos)) = header(src, 0, b'*', "multibulk")? else {
                return Ok(None);
            };
            if count > MAX_ARGS as i64 {
                return protocol("invalid multibulk length");
            }
            if count <= 0 {
                // `*0`、`*-1`：空命令。Redis 跳过它们，这里也一样。
                src.advance(pos);
                continue;
            }
            self.spans.clear();
            for _ in 0..count {
                let Some((len, start)) = header(src, pos, b'$', "bulk")? else {
                    return Ok(None);
                };
                if !(0..=MAX_BULK as i64).contains(&len) {
                    return protocol("invalid bulk length");
                }
                let end = start + len as usize;
                if src.len() < end + 2 {
                    // 长度已知：一次预留够，免得读的过程中缓冲区反复扩容。
                    src.reserve(end + 2 - src.len());
                    return Ok(None);
                }
                if &src[end..end + 2] != b"\r\n" {
                    return protocol("expected CRLF after bulk string");
                }
                self.spans.push((start, end));
                pos = end + 2;
            }
            // 第二遍：整帧从缓冲区切下来冻结成 Bytes，参数都是它的切片（只增加引用计数）。
            let frame = src.split_to(pos).freeze();
            let command = self.spans.iter().map(|&(s, e)| frame.slice(s..e)).collect();
            return Ok(Some(command));
        }
    }
}
// ANCHOR_END: decode

// ANCHOR: encode
impl Encoder<Frame> for RespCodec {
    type Error = RespError;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), RespError> {
        match frame {
            Frame::Simple(s) => {
                dst.put_u8(b'+');
                dst.put_slice(s.as_bytes());
            }
            Frame::Error(msg) => {
                dst.put_u8(b'-');
                // 错误信息可能带着客户端发来的字节（例如未知命令的名字）。其中的 \r、\n
                // 换成空格，否则一条回复会被客户端读成两帧。Redis 也是这样做的。
                dst.extend(
                    msg.bytes()
                        .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
                );
            }
            // 数字直接格式化进缓冲区（BytesMut 实现了 fmt::Write），不经过 String。
            Frame::Integer(n) => write!(dst, ":{n}").unwrap(),
            Frame::Bulk(data) => {
                write!(dst, "${}\r\n", data.len()).unwrap();
                dst.put_slice(&data);
            }
            Frame::Null => dst.put_slice(b"$-1"),
            Frame::Array(items) => {
                write!(dst, "*{}\r\n", items.len()).unwrap();
                for item in items {
                    self.encode(item, dst)?;
                }
                return Ok(());
            }
        }
        dst.put_slice(b"\r\n");
        Ok(())
    }
}
// ANCHOR_END: encode

// ANCHOR: main
fn show(command: &Command) -> String {
    let args: Vec<_> = command.iter().map(|a| String::from_utf8_lossy(a)).collect();
    args.join(" ")
}

fn main() {
    let mut codec = RespCodec::default();

    // 一次读到的字节：管线化发来的两条完整命令，加上第三条的前一半。
    let mut buf = BytesMut::from(
        &b"*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$5\r\nworld\r\n\
           *2\r\n$3\r\nGET\r\n$5\r\nhello\r\n\
           *2\r\n$4\r\nINCR\r\n$3\r\nc"[..],
    );
    while let Some(command) = codec.decode(&mut buf).unwrap() {
        println!("解出命令：{}", show(&command));
    }
    println!("还剩 {} 字节，等下一次读：{buf:?}", buf.len());
    buf.extend_from_slice(b"nt\r\n");
    let command = codec.decode(&mut buf).unwrap().unwrap();
    println!("补齐之后：{}，剩 {} 字节", show(&command), buf.len());

    println!();
    let replies = [
        Frame::Simple("OK"),
        Frame::Bulk(Bytes::from_static(b"world")),
        Frame::Null,
        Frame::Integer(42),
        Frame::Error("ERR unknown command 'FOO'".into()),
        Frame::Array(vec![
            Frame::Bulk(Bytes::from_static(b"message")),
            Frame::Bulk(Bytes::from_static(b"news")),
            Frame::Bulk(Bytes::from_static(b"hi")),
        ]),
    ];
    let mut out = BytesMut::new();
    for reply in replies {
        println!("{reply:?}");
        codec.encode(reply, &mut out).unwrap();
        println!("  → {:?}", out.split());
    }

    println!();
    let bad: [&[u8]; 4] = [
        b"*2\r\n$3\r\nGET\r\n:1\r\n", // 参数不是字符串
        b"*1\r\n$2000000\r\n",        // 声明的长度超过上限，数据还没到就拒绝
        b"*1\r\n$4\r\nPINGxx",        // 数据之后不是 \r\n
        b"GET hello\r\n",             // 不是 RESP 数组（Redis 的“内联命令”，这里不支持）
    ];
    for input in bad {
        let result = codec.decode(&mut BytesMut::from(input));
        println!("{:?}", Bytes::from_static(input));
        match result {
            Err(e) => println!("  → {e}"),
            Ok(r) => println!("  → 意外：{r:?}"),
        }
    }
}
// ANCHOR_END: main
