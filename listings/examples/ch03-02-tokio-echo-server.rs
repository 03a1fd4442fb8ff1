use std::io::Write;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures::poll;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    // 第一个命令行参数是监听地址；端口写 0 时由操作系统挑一个空闲端口。
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let listener = TcpListener::bind(&addr).await?;

    // ctrl_c() 和所有 Future 一样是惰性的：第一次被轮询时才注册信号处理函数。
    // 先轮询它一次，再宣布“正在监听”，这之后到达的 Ctrl-C 一定会被接住。
    let mut shutdown = pin!(tokio::signal::ctrl_c());
    if let Poll::Ready(result) = poll!(&mut shutdown) {
        return result;
    }

    // 打印真正绑定到的地址（端口 0 时才知道是哪个），并立即刷新，
    // 让等待这一行的脚本或测试不必猜测缓冲。
    println!("正在监听 {}", listener.local_addr()?);
    std::io::stdout().flush()?;

    loop {
        tokio::select! {
            // 先检查关闭信号：收到 Ctrl-C 就不再接受新连接。
            biased;
            // 退出时不再打印：读取第一行的一方（脚本、测试）可能早已关闭了管道，
            // 那时 println! 会因写入失败而 panic。
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                // 每个连接一个任务：一个连接慢或出错，不影响其他连接。
                Ok((socket, _peer)) => {
                    tokio::spawn(echo(socket));
                }
                // accept 失败（例如文件描述符用尽）不应让整个服务器退出：
                // 稍等再试，给其他连接关闭、归还资源的时间。
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            },
        }
    }
    Ok(())
}
// ANCHOR_END: main

// ANCHOR: echo
async fn echo(mut socket: TcpStream) {
    let mut buf = [0u8; 1024];
    loop {
        // 没有数据可读时，这里返回 Pending：任务让出线程，
        // 反应器在套接字可读时唤醒它。
        match socket.read(&mut buf).await {
            // 读到 0 字节：对方正常关闭了连接。
            Ok(0) => break,
            Ok(n) => {
                if socket.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            // 对方异常断开（连接被重置）等错误只结束这个连接。
            Err(_) => break,
        }
    }
}
// ANCHOR_END: echo
