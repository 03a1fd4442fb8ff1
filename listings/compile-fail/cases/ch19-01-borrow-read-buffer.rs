//! 示例 19-1（无法编译）：想省掉拷贝，让所有连接共享的表直接借用某个连接的读缓冲区。

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

// ANCHOR: handler
/// 所有连接共享的表：键和值都是借来的切片。
type Db<'a> = Arc<Mutex<HashMap<&'a [u8], &'a [u8]>>>;

async fn handle(mut socket: TcpStream, db: Db<'_>) {
    let mut buf = vec![0u8; 4096];
    let n = socket.read(&mut buf).await.unwrap();
    // 读到的是“键 值”：直接借用缓冲区里的字节，一个也不拷贝。
    if let Some((key, value)) = split_once(&buf[..n]) {
        db.lock().unwrap().insert(key, value);
    }
} // buf 在这里被释放，表里的切片却还指着它
// ANCHOR_END: handler

fn split_once(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let space = line.iter().position(|&b| b == b' ')?;
    Some((&line[..space], &line[space + 1..]))
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let db = Db::default();
    loop {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::spawn(handle(socket, db.clone()));
    }
}
