//! 示例 17-5 是一组测试，用 `cargo test --example ch17-05-mock-io` 运行。
#![cfg_attr(not(test), allow(dead_code))]

// ANCHOR: serve
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::time::timeout;

/// 连接空闲这么久就道别并关闭。
const IDLE: Duration = Duration::from_secs(30);

/// 一个按行应答的小协议：`PING` 回 `PONG`，`ECHO 文本` 回原文，别的回 `ERR`。
/// 它只要求连接实现 AsyncRead + AsyncWrite：TCP 连接、模拟的连接都可以交给它。
async fn serve<S>(stream: S) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    // tokio 的 BufReader 同时把写操作转给里面的连接。
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        let n = match timeout(IDLE, stream.read_line(&mut line)).await {
            Ok(read) => read?,
            Err(_) => {
                stream.write_all(b"BYE idle\n").await?;
                return Ok(());
            }
        };
        if n == 0 {
            return Ok(()); // 对方关闭了连接
        }
        let reply = match line.trim_end().split_once(' ') {
            None if line.trim_end() == "PING" => "PONG".to_string(),
            Some(("ECHO", text)) => text.to_string(),
            _ => "ERR unknown command".to_string(),
        };
        stream.write_all(format!("{reply}\n").as_bytes()).await?;
    }
}
// ANCHOR_END: serve

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-05-mock-io");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;
    use tokio::time::Instant;
    use tokio_test::io::Builder;

    // ANCHOR: tests
    // 脚本：对方发来 PING，我们必须写出 PONG；脚本走完，读到的就是连接关闭。
    #[tokio::test]
    async fn ping_gets_pong() {
        let conn = Builder::new().read(b"PING\n").write(b"PONG\n").build();
        serve(conn).await.unwrap();
    }

    // 一行字被拆成两次读到（TCP 本来就可能这样），回答不受影响。
    #[tokio::test]
    async fn a_line_split_across_reads() {
        let conn = Builder::new()
            .read(b"EC")
            .read(b"HO hello\n")
            .write(b"hello\n")
            .read(b"PING\n")
            .write(b"PONG\n")
            .build();
        serve(conn).await.unwrap();
    }

    // 脚本的下一步是“我们写”，读就一直等着：30 秒后服务端道别。
    // 暂停的时钟让这 30 秒瞬间过去，而且正好是 30 秒。
    #[tokio::test(start_paused = true)]
    async fn idle_client_is_told_bye() {
        let start = Instant::now();
        let conn = Builder::new()
            .read(b"PING\n")
            .write(b"PONG\n")
            .write(b"BYE idle\n")
            .build();
        serve(conn).await.unwrap();
        assert_eq!(start.elapsed(), IDLE);
    }

    // 注入错误：连接被对方重置，serve 要把错误交给调用者，而不是当作正常结束。
    #[tokio::test]
    async fn reset_connection_is_an_error() {
        let conn = Builder::new()
            .read(b"PING\n")
            .write(b"PONG\n")
            .read_error(ErrorKind::ConnectionReset.into())
            .build();
        let err = serve(conn).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    }
    // ANCHOR_END: tests
}
