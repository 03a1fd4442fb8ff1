//! 示例 17-4 是一组测试，用 `cargo test --example ch17-04-paused-clock-real-io` 运行。

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-04-paused-clock-real-io");
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener};
    use std::time::Duration;

    use tokio::io::AsyncReadExt;
    use tokio::net::TcpStream;
    use tokio::time::{Instant, timeout};

    // ANCHOR: slow_peer
    /// 一个真实的对端：在普通线程里监听回环地址，接受连接后（真实地）过 100 毫秒才回答。
    fn slow_peer() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").expect("绑定回环地址");
        let addr = listener.local_addr().expect("本地地址");
        std::thread::spawn(move || {
            if let Ok((mut socket, _)) = listener.accept() {
                std::thread::sleep(Duration::from_millis(100));
                // 测试可能早已放弃这个连接，写失败也无妨。
                let _ = socket.write_all(b"pong");
            }
        });
        addr
    }
    // ANCHOR_END: slow_peer

    // ANCHOR: surprise
    // 意外：对端 100 毫秒后就会回答，5 秒的超时却立即触发了。
    // 读在等真实的套接字，运行时里没有别的事可做，于是时钟跳到了超时的那一刻。
    #[tokio::test(start_paused = true)]
    async fn paused_clock_times_out_real_io() {
        let mut stream = TcpStream::connect(slow_peer()).await.unwrap();
        let start = Instant::now();
        let mut reply = [0u8; 4];
        let result = timeout(Duration::from_secs(5), stream.read_exact(&mut reply)).await;
        assert!(result.is_err(), "读还没完成，超时已经触发");
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }
    // ANCHOR_END: surprise

    // ANCHOR: fixes
    // 办法一：有 spawn_blocking 的任务在运行时，单线程运行时不自动推进时钟（tokio 1.24 起）。
    #[tokio::test(start_paused = true)]
    async fn blocking_task_holds_the_clock() {
        let addr = slow_peer();
        let start = Instant::now();
        let read = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(addr)?;
            let mut reply = [0u8; 4];
            stream.read_exact(&mut reply)?;
            Ok::<_, std::io::Error>(reply)
        });
        let reply = timeout(Duration::from_secs(5), read).await;
        assert_eq!(reply.unwrap().unwrap().unwrap(), *b"pong");
        assert_eq!(start.elapsed(), Duration::ZERO, "时钟一直停着");
    }

    // 办法二：真实 I/O 的那一段恢复真实时间，做完再暂停，接着就可以测计时逻辑。
    #[tokio::test(start_paused = true)]
    async fn resume_the_clock_around_real_io() {
        tokio::time::resume();
        let mut stream = TcpStream::connect(slow_peer()).await.unwrap();
        let mut reply = [0u8; 4];
        timeout(Duration::from_secs(5), stream.read_exact(&mut reply))
            .await
            .expect("真实时间里 100 毫秒就读到了")
            .unwrap();
        assert_eq!(&reply, b"pong");
        tokio::time::pause();
    }
    // ANCHOR_END: fixes
}
