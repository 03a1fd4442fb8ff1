//! 示例 17-7 是一组测试，用 `cargo test --example ch17-07-loopback` 运行。
#![cfg_attr(not(test), allow(dead_code))]

// 与示例 17-5 相同的 serve：它只要求连接实现 AsyncRead + AsyncWrite。
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::time::timeout;
const IDLE: Duration = Duration::from_secs(30);
async fn serve<S>(stream: S) -> std::io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
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
            return Ok(());
        }
        let reply = match line.trim_end().split_once(' ') {
            None if line.trim_end() == "PING" => "PONG".to_string(),
            Some(("ECHO", text)) => text.to_string(),
            _ => "ERR unknown command".to_string(),
        };
        stream.write_all(format!("{reply}\n").as_bytes()).await?;
    }
}
fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-07-loopback");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::AsyncReadExt;
    // ANCHOR: server
    use tokio::net::{TcpListener, TcpStream};

    /// 在回环地址上启动服务端。端口 0 让操作系统挑一个空闲端口：
    /// 每个测试有自己的服务端，并行运行的测试不会抢同一个端口。
    async fn start_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            // 测试结束时运行时关闭，这个循环和它派生的任务随之被丢弃。
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket));
            }
        });
        addr
    }

    async fn connect(addr: SocketAddr) -> BufReader<TcpStream> {
        BufReader::new(TcpStream::connect(addr).await.unwrap())
    }

    async fn ask(conn: &mut BufReader<TcpStream>, request: &str) -> String {
        conn.write_all(format!("{request}\n").as_bytes())
            .await
            .unwrap();
        let mut reply = String::new();
        conn.read_line(&mut reply).await.unwrap();
        reply
    }
    // ANCHOR_END: server

    // ANCHOR: tests
    // 两个客户端交替发请求：服务端同时服务多个连接，回答不会串。
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_clients_are_served_independently() {
        let addr = start_server().await;
        let mut a = connect(addr).await;
        let mut b = connect(addr).await;
        assert_eq!(ask(&mut b, "ECHO 我是 b").await, "我是 b\n");
        assert_eq!(ask(&mut a, "PING").await, "PONG\n");
        assert_eq!(ask(&mut b, "HELLO").await, "ERR unknown command\n");
    }

    // 客户端关闭写方向，服务端读到连接结束，也关闭连接：客户端接着读到 EOF。
    #[tokio::test]
    async fn server_hangs_up_after_client_does() {
        let addr = start_server().await;
        let mut conn = connect(addr).await;
        assert_eq!(ask(&mut conn, "PING").await, "PONG\n");
        conn.get_mut().shutdown().await.unwrap();
        let mut rest = Vec::new();
        assert_eq!(conn.read_to_end(&mut rest).await.unwrap(), 0);
    }
    // ANCHOR_END: tests
}
