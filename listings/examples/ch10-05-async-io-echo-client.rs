//! 示例 10-5：同一个程序里的回显服务器和客户端，演示 Async<TcpStream> 的读写与半关闭。

use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};

use async_io::Async;
use smol::io::{AsyncReadExt, AsyncWriteExt};

// ANCHOR: main
fn main() -> io::Result<()> {
    smol::block_on(async {
        // 端口 0：由操作系统挑一个空闲端口，示例因此不会和别的程序冲突。
        let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0))?;
        let addr = listener.get_ref().local_addr()?;

        // 服务器只接受一个连接，回显完毕后返回回显的字节数。
        let server = smol::spawn(async move {
            let (stream, _) = listener.accept().await?;
            smol::io::copy(&stream, &stream).await
        });

        let mut client = Async::<TcpStream>::connect(addr).await?;
        client.write_all("你好，smol！".as_bytes()).await?;
        // 关闭写方向：服务器的 copy 读到 EOF，于是结束并关闭连接；
        // 不这样做，双方会一直等对方先开口。
        client.get_ref().shutdown(Shutdown::Write)?;

        let mut reply = String::new();
        client.read_to_string(&mut reply).await?;
        println!("收到回显：{reply}");
        println!("服务器回显了 {} 字节", server.await?);
        Ok(())
    })
}
// ANCHOR_END: main
