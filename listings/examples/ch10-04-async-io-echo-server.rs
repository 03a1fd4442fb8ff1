//! 示例 10-4：用 async-io 的 Async<T> 包装标准库的 TCP 类型，写一个回显服务器。
//!
//! 运行：`cargo run --example ch10-04-async-io-echo-server [地址]`，默认监听 127.0.0.1:8080。
//! 它不会自己结束：按 Ctrl-C（SIGINT）或发送 SIGTERM，它停止接受连接并以退出码 0 退出。

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use async_io::{Async, Timer};
use async_signal::{Signal, Signals};
use smol::future;
use smol::stream::StreamExt;

// ANCHOR: main
fn main() -> io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string())
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;

    // 接受连接的循环在主线程上运行；连接交给全局执行器。
    // serve 收到停止信号后返回 Ok(())，main 随之返回，退出码是 0。
    smol::block_on(serve(addr))
}
// ANCHOR_END: main

// ANCHOR: server
async fn serve(addr: SocketAddr) -> io::Result<()> {
    // bind 接受任何能转换成 SocketAddr 的值；它创建标准库的 TcpListener，
    // 设为非阻塞，并登记到 async-io 的反应器。
    let listener = Async::<TcpListener>::bind(addr)?;

    // 先登记信号，再宣布“正在监听”：登记会换掉进程继承来的处理方式
    // （包括“忽略”），这之后到达的 Ctrl-C 一定由下面的循环处理。
    let mut signals = Signals::new([Signal::Int])?;
    // SIGTERM 是 kill 的默认信号，服务管理器也用它请服务停止；Windows 上没有它。
    #[cfg(unix)]
    signals.add_signals([Signal::Term])?;

    // 端口写 0 时由操作系统挑选，所以打印实际绑定的地址。
    println!("正在监听 {}", listener.get_ref().local_addr()?);
    io::stdout().flush()?;

    loop {
        // or 先轮询左边的 Future：信号和新连接同时就绪时，先处理信号。
        let stop = async {
            signals.next().await;
            None
        };
        let accept = async { Some(listener.accept().await) };
        match future::or(stop, accept).await {
            // 收到信号：不再接受新连接。退出时不再打印：读取第一行的一方
            // （脚本、测试）可能早已关闭了管道，那时 println! 会因写入失败而 panic。
            None => break,
            // 每个连接一个任务。detach：服务器不等待它们，也不关心结果。
            Some(Ok((stream, _peer))) => smol::spawn(handle_client(stream)).detach(),
            // accept 失败（例如文件描述符用尽）不应结束整个服务器：稍等再试。
            Some(Err(_)) => {
                Timer::after(Duration::from_millis(10)).await;
            }
        }
    }
    Ok(())
}

async fn handle_client(stream: Async<TcpStream>) {
    // &Async<TcpStream> 同时实现 AsyncRead 和 AsyncWrite，
    // 所以同一个连接可以既当读端又当写端：读到多少就写回多少，直到对方关闭写方向。
    // 对方异常断开时 copy 返回错误；这只影响这一个连接，忽略即可。
    let _ = smol::io::copy(&stream, &stream).await;
    // stream 在这里被丢弃，连接随之关闭，客户端读到 EOF。
}
// ANCHOR_END: server
