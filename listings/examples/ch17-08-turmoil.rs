//! 示例 17-8 是一组测试，用 `cargo test --example ch17-08-turmoil` 运行。
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
    println!("这个示例是一组测试：cargo test --example ch17-08-turmoil");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;
    // ANCHOR: sim
    use turmoil::net::{TcpListener, TcpStream};

    /// 网络的每条消息都正好走 20 毫秒：延迟固定，断言就可以写精确值。
    fn network() -> turmoil::Sim<'static> {
        turmoil::Builder::new()
            .min_message_latency(Duration::from_millis(20))
            .max_message_latency(Duration::from_millis(20))
            .rng_seed(17)
            .build()
    }

    /// 主机 server 上运行示例 17-5 的 serve：同一段代码，这次跑在模拟的 TCP 上。
    fn start_server(sim: &mut turmoil::Sim<'_>) {
        sim.host("server", || async {
            let listener = TcpListener::bind(("0.0.0.0", 7000)).await?;
            loop {
                let (socket, _) = listener.accept().await?;
                tokio::spawn(serve(socket));
            }
        });
    }

    /// 被测的客户端：一问一答，整个过程最多等 1 秒。
    async fn ask(conn: &mut BufReader<TcpStream>, request: &str) -> std::io::Result<String> {
        let exchange = async {
            conn.write_all(format!("{request}\n").as_bytes()).await?;
            let mut reply = String::new();
            conn.read_line(&mut reply).await?;
            Ok(reply.trim_end().to_string())
        };
        timeout(Duration::from_secs(1), exchange)
            .await
            .map_err(|_| std::io::ErrorKind::TimedOut)?
    }
    // ANCHOR_END: sim

    // ANCHOR: tests
    #[test]
    fn a_round_trip_costs_two_latencies() -> turmoil::Result {
        let mut sim = network();
        start_server(&mut sim);
        sim.client("client", async {
            let mut conn = BufReader::new(TcpStream::connect(("server", 7000)).await?);
            let start = Instant::now();
            assert_eq!(ask(&mut conn, "PING").await?, "PONG");
            assert_eq!(start.elapsed(), Duration::from_millis(40)); // 去 20 毫秒，回 20 毫秒
            Ok(())
        });
        sim.run()
    }

    #[test]
    fn lost_replies_time_out_and_a_new_connection_recovers() -> turmoil::Result {
        let mut sim = network();
        start_server(&mut sim);
        sim.client("client", async {
            let mut conn = BufReader::new(TcpStream::connect(("server", 7000)).await?);
            // 单向分区：请求到得了服务端，回答回不来。
            turmoil::partition_oneway("server", "client");
            let start = Instant::now();
            let err = ask(&mut conn, "ECHO 你好").await.unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
            assert_eq!(start.elapsed(), Duration::from_secs(1));

            // 网络恢复后，旧连接上丢掉的数据不会重传（模拟的 TCP 不重传），换一条新连接。
            turmoil::repair_oneway("server", "client");
            let mut conn = BufReader::new(TcpStream::connect(("server", 7000)).await?);
            assert_eq!(ask(&mut conn, "ECHO 你好").await?, "你好");
            Ok(())
        });
        sim.run()
    }
    // ANCHOR_END: tests
}
