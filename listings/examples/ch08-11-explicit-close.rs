use tokio::io::{self, AsyncReadExt, AsyncWriteExt, BufWriter, DuplexStream};
use tokio::time::{Duration, timeout};

/// 读出对端收到的全部内容，直到 EOF。
async fn received(mut peer: DuplexStream) -> String {
    let mut text = String::new();
    peer.read_to_string(&mut text).await.unwrap();
    format!("{text:?}")
}

// ANCHOR: bufwriter
async fn bufwriter_drop() {
    let (out, peer) = io::duplex(64);
    let mut writer = BufWriter::new(out);
    writer.write_all(b"HELLO\n").await.unwrap(); // 只进了 BufWriter 的缓冲区
    drop(writer); // 析构不能 .await，缓冲区被直接扔掉
    println!("  直接 drop：对端收到 {}", received(peer).await);

    let (out, peer) = io::duplex(64);
    let mut writer = BufWriter::new(out);
    writer.write_all(b"HELLO\n").await.unwrap();
    writer.shutdown().await.unwrap(); // 刷新缓冲区，再关闭写方向
    println!("  先 shutdown：对端收到 {}", received(peer).await);
}
// ANCHOR_END: bufwriter

// ANCHOR: session
/// 一个需要异步收尾的会话：结束时要发 BYE 并刷新缓冲区。
struct Session {
    out: BufWriter<DuplexStream>,
    closed: bool,
}

impl Session {
    fn new(out: DuplexStream) -> Self {
        Session {
            out: BufWriter::new(out),
            closed: false,
        }
    }

    async fn send(&mut self, line: &str) -> io::Result<()> {
        self.out.write_all(line.as_bytes()).await
    }

    /// 显式的异步收尾。按值接收 self：关闭之后，编译器不再允许使用这个会话。
    async fn close(mut self) -> io::Result<()> {
        self.out.write_all(b"BYE\n").await?;
        self.out.shutdown().await?;
        self.closed = true;
        Ok(())
    } // self 在这里被丢弃，Drop 看到 closed == true
}

impl Drop for Session {
    fn drop(&mut self) {
        // 同步的 Drop 不能 .await，只能发现问题、报告问题。
        if !self.closed {
            println!("  警告：Session 没有 close 就被丢弃");
        }
    }
}
// ANCHOR_END: session

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    println!("BufWriter：");
    bufwriter_drop().await;

    // ANCHOR: main
    println!("Session：");
    let (out, peer) = io::duplex(64);
    let mut session = Session::new(out);
    session.send("HELLO\n").await.unwrap();
    session.close().await.unwrap();
    println!("  close().await：对端收到 {}", received(peer).await);

    let (out, peer) = io::duplex(64);
    let mut session = Session::new(out);
    session.send("HELLO\n").await.unwrap();
    drop(session); // 忘了 close
    println!("  忘了 close：对端收到 {}", received(peer).await);

    // close 本身也可能被取消：对端不读、管道只有 4 字节，刷新永远等不完。
    let (out, _peer) = io::duplex(4);
    let mut session = Session::new(out);
    session.send("HELLO\n").await.unwrap();
    let result = timeout(Duration::from_secs(1), session.close()).await;
    println!("  close 超时：{result:?}");
    // ANCHOR_END: main
}
