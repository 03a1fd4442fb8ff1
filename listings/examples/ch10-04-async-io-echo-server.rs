//! 示例 10-4：用 async-io 的 Async<T> 包装标准库的 TCP 类型，写一个回显服务器。
//!
//! 运行：`cargo run --example ch10-04-async-io-echo-server [地址]`，默认监听 127.0.0.1:8080。
//! 它不会自己结束，按 Ctrl-C 终止。

use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use async_io::{Async, Timer};

// ANCHOR: main
fn main() -> io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string())
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;

    // 接受连接的循环在主线程上运行；连接交给全局执行器。
    smol::block_on(serve(addr))
}
// ANCHOR_END: main

// ANCHOR: server
async fn serve(addr: SocketAddr) -> io::Result<()> {
    // bind 接受任何能转换成 SocketAddr 的值；它创建标准库的 TcpListener，
    // 设为非阻塞，并登记到 async-io 的反应器。
    let listener = Async::<TcpListener>::bind(addr)?;
    // 端口写 0 时由操作系统挑选，所以打印实际绑定的地址。
    println!("正在监听 {}", listener.get_ref().local_addr()?);
    io::stdout().flush()?;

    loop {
        match listener.accept().await {
            // 每个连接一个任务。detach：服务器不等待它们，也不关心结果。
            Ok((stream, _peer)) => smol::spawn(handle_client(stream)).detach(),
            // accept 失败（例如文件描述符用尽）不应结束整个服务器：稍等再试。
            Err(_) => {
                Timer::after(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn handle_client(stream: Async<TcpStream>) {
    // &Async<TcpStream> 同时实现 AsyncRead 和 AsyncWrite，
    // 所以同一个连接可以既当读端又当写端：读到多少就写回多少，直到对方关闭写方向。
    // 对方异常断开时 copy 返回错误；这只影响这一个连接，忽略即可。
    let _ = smol::io::copy(&stream, &stream).await;
    // stream 在这里被丢弃，连接随之关闭，客户端读到 EOF。
}
// ANCHOR_END: server
