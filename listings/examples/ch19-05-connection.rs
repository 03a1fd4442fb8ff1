//! 示例 19-5：一个连接上的命令循环：执行命令、攒下回复、只在要等待客户端时才写出去；
//! 订阅之后同时等命令和频道里的消息。
//!
//! 连接的类型是任意的 `AsyncRead + AsyncWrite`：示例 19-6 的服务器交给它 `TcpStream`，
//! 这里的 `main` 交给它内存里的管道（`tokio::io::duplex`），数服务器写了几次。
//! 示例 19-6 把这个文件当作模块 `connection` 引入。
//!
//! 运行：`cargo run --example ch19-05-connection`

#[path = "ch19-02-resp-codec.rs"]
#[allow(dead_code)]
mod resp;

#[path = "ch19-04-db.rs"]
#[allow(dead_code)]
mod db;

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::{FutureExt, SinkExt, Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::broadcast::error::RecvError;
use tokio::time::{Duration, Instant};
use tokio_stream::StreamMap;
use tokio_util::codec::Framed;
use tokio_util::sync::CancellationToken;

pub use db::Db;
use resp::{Command, Frame, RespCodec, RespError};

// ANCHOR: name
/// 命令名的大写形式，放在栈上的小数组里：按名字分派不分配内存。
/// 比最长的命令名（UNSUBSCRIBE）还长的名字，一律当作空名字，不会匹配任何命令。
struct Name {
    buf: [u8; 12],
    len: usize,
}

impl Name {
    fn of(raw: &[u8]) -> Name {
        let mut buf = [0; 12];
        let len = if raw.len() <= buf.len() { raw.len() } else { 0 };
        buf[..len].copy_from_slice(&raw[..len]);
        buf.make_ascii_uppercase();
        Name { buf, len }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}
// ANCHOR_END: name

fn error(msg: impl Into<String>) -> Frame {
    Frame::Error(msg.into())
}

// ANCHOR: execute
/// 执行一条普通命令（订阅相关的命令由连接自己处理），得到它的回复。
fn execute(db: &Db, args: &[Bytes]) -> Frame {
    match (Name::of(&args[0]).as_bytes(), args.len()) {
        (b"PING", 1) => Frame::Simple("PONG"),
        (b"PING", 2) => Frame::Bulk(args[1].clone()),
        (b"GET", 2) => db.get(&args[1]).map_or(Frame::Null, Frame::Bulk),
        (b"SET", 3..) => set(db, args),
        (b"DEL", 2..) => Frame::Integer(db.del(&args[1..])),
        (b"INCR", 2) => db.incr(&args[1]).map_or_else(error, Frame::Integer),
        // 消息要在频道的环形缓冲区里待一阵，复制一份，不让它拖住整块读缓冲区。
        (b"PUBLISH", 3) => {
            let message = Bytes::copy_from_slice(&args[2]);
            Frame::Integer(db.publish(&args[1], message) as i64)
        }
        (b"DBSIZE", 1) => Frame::Integer(db.dbsize() as i64),
        (b"PING" | b"GET" | b"SET" | b"DEL" | b"INCR" | b"PUBLISH" | b"DBSIZE", _)
        | (b"SUBSCRIBE", 1) => error(format!(
            "ERR wrong number of arguments for '{}' command",
            String::from_utf8_lossy(&args[0]).to_lowercase()
        )),
        _ => unknown_command(args),
    }
}

/// SET key value [EX 秒 | PX 毫秒]
fn set(db: &Db, args: &[Bytes]) -> Frame {
    let mut expires_at = None;
    let mut unit = None;
    let mut options = args[3..].iter();
    while let Some(option) = options.next() {
        let unit_ms = match Name::of(option).as_bytes() {
            b"EX" => 1000,
            b"PX" => 1,
            _ => return error("ERR syntax error"),
        };
        // 缺少数值，或者 EX 与 PX 同时出现（同一个写两次，Redis 取后一个，这里也一样）。
        let (Some(n), true) = (options.next(), unit.is_none_or(|u| u == unit_ms)) else {
            return error("ERR syntax error");
        };
        unit = Some(unit_ms);
        let Some(n) = db::parse_int(n) else {
            return error("ERR value is not an integer or out of range");
        };
        // 非正数、乘上单位后溢出、加到当前时刻上溢出，都是无效的过期时间。
        let deadline = u64::try_from(n)
            .ok()
            .filter(|&n| n > 0)
            .and_then(|n| n.checked_mul(unit_ms))
            .and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
        let Some(deadline) = deadline else {
            return error("ERR invalid expire time in 'set' command");
        };
        expires_at = Some(deadline);
    }
    // 值要长期存放：复制一份（见 19.2.3 节），键在 Db::set 里按需复制。
    db.set(&args[1], Bytes::copy_from_slice(&args[2]), expires_at);
    Frame::Simple("OK")
}
// ANCHOR_END: execute

fn unknown_command(args: &[Bytes]) -> Frame {
    // 与 Redis 相同：命令名最多显示 128 字节；参数逐个加上，累计满 128 字节为止，
    // 每个参数截到还剩的长度。
    let mut shown = Vec::new();
    for arg in &args[1..] {
        let Some(room) = 128usize.checked_sub(shown.len()).filter(|&r| r > 0) else {
            break;
        };
        shown.push(b'\'');
        shown.extend_from_slice(&arg[..arg.len().min(room)]);
        shown.extend_from_slice(b"' ");
    }
    let name = &args[0][..args[0].len().min(128)];
    error(format!(
        "ERR unknown command '{}', with args beginning with: {}",
        String::from_utf8_lossy(name),
        String::from_utf8_lossy(&shown)
    ))
}

// ANCHOR: connection
/// 一个频道的消息流：把 broadcast::Receiver 包成 Stream，放进 StreamMap。
type Messages = Pin<Box<dyn Stream<Item = Bytes> + Send>>;

fn messages(rx: tokio::sync::broadcast::Receiver<Bytes>) -> Messages {
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(message) => return Some((message, rx)),
                // 这个订阅者太慢，最旧的消息已被覆盖：跳过它们，接着收后面的。
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    }))
}

struct Connection<S> {
    framed: Framed<S, RespCodec>,
    db: Db,
    /// 订阅的频道（键）和各自的消息流。非空时连接处于订阅模式。
    subscriptions: StreamMap<Bytes, Messages>,
}

enum Event {
    Command(Command),
    Message(Bytes, Bytes),
    /// 客户端关闭了连接，或者服务器要停止了。
    Done,
}
// ANCHOR_END: connection

// ANCHOR: serve
/// 服务一个连接，直到客户端断开、协议出错，或者 `shutdown` 被取消。
pub async fn serve_connection<S>(stream: S, db: Db, shutdown: CancellationToken) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut conn = Connection {
        framed: Framed::new(stream, RespCodec::default()),
        db,
        subscriptions: StreamMap::new(),
    };
    loop {
        let event = match conn.next_event(&shutdown).await {
            Ok(event) => event,
            Err(RespError::Protocol(msg)) => {
                // 出错的帧后面从哪里开始是下一帧，已经无从知道：回一个错误，关闭连接。
                let reply = error(format!("ERR Protocol error: {msg}"));
                return conn.framed.send(reply).await.map_err(into_io);
            }
            Err(RespError::Io(e)) => return Err(e),
        };
        let reply = match event {
            Event::Command(command) => conn.command(command).await,
            Event::Message(channel, message) => {
                let frame = Frame::Array(vec![
                    Frame::Bulk(Bytes::from_static(b"message")),
                    Frame::Bulk(channel),
                    Frame::Bulk(message),
                ]);
                conn.framed.feed(frame).await
            }
            // 把攒着的回复写完再关闭。
            Event::Done => return conn.framed.flush().await.map_err(into_io),
        };
        reply.map_err(into_io)?;
    }
}

fn into_io(e: RespError) -> io::Error {
    match e {
        RespError::Io(e) => e,
        RespError::Protocol(msg) => io::Error::new(io::ErrorKind::InvalidData, msg),
    }
}
// ANCHOR_END: serve

// ANCHOR: next_event
impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    async fn next_event(&mut self, shutdown: &CancellationToken) -> Result<Event, RespError> {
        // 不用等就能拿到的：读缓冲区里已经收全的下一条命令（管线化），或已经到达的消息。
        // 这时不写：回复留在写缓冲区里，和后面的回复一起写出去。
        if let Some(next) = self.framed.next().now_or_never() {
            return Ok(next.transpose()?.map_or(Event::Done, Event::Command));
        }
        if let Some(Some((channel, message))) = self.subscriptions.next().now_or_never() {
            return Ok(Event::Message(channel, message));
        }
        // 什么都没有，接下来要等客户端了：先把攒下的回复一次写出去。
        self.framed.flush().await?;
        tokio::select! {
            biased;
            // 只在两条命令之间、等待的时候响应停止：已经收到的命令都会执行并回复。
            _ = shutdown.cancelled() => Ok(Event::Done),
            next = self.framed.next() => Ok(next.transpose()?.map_or(Event::Done, Event::Command)),
            Some((channel, message)) = self.subscriptions.next(),
                if !self.subscriptions.is_empty() => Ok(Event::Message(channel, message)),
        }
    }
}
// ANCHOR_END: next_event

// ANCHOR: command
impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    async fn command(&mut self, args: Command) -> Result<(), RespError> {
        let name = Name::of(&args[0]);
        match name.as_bytes() {
            b"SUBSCRIBE" if args.len() > 1 => {
                for channel in &args[1..] {
                    if !self.subscriptions.contains_key(channel) {
                        // 频道名要跟着订阅活很久：复制一份，不拖住读缓冲区。
                        let channel = Bytes::copy_from_slice(channel);
                        let rx = self.db.subscribe(&channel);
                        self.subscriptions.insert(channel, messages(rx));
                    }
                    self.feed_subscription("subscribe", Frame::Bulk(channel.clone()))
                        .await?;
                }
                Ok(())
            }
            b"UNSUBSCRIBE" => {
                let mut channels = args[1..].to_vec();
                if channels.is_empty() {
                    // 不带参数：退订全部，按名字排序，回复的顺序才确定。
                    channels = self.subscriptions.keys().cloned().collect();
                    channels.sort();
                }
                if channels.is_empty() {
                    return self.feed_subscription("unsubscribe", Frame::Null).await;
                }
                for channel in channels {
                    if self.subscriptions.remove(&channel[..]).is_some() {
                        self.db.release(&channel);
                    }
                    self.feed_subscription("unsubscribe", Frame::Bulk(channel))
                        .await?;
                }
                Ok(())
            }
            // 订阅模式下只能订阅、退订、PING（回复的形状也不同）。
            _ if !self.subscriptions.is_empty() => {
                let reply = match name.as_bytes() {
                    b"PING" => Frame::Array(vec![
                        Frame::Bulk(Bytes::from_static(b"pong")),
                        Frame::Bulk(args.get(1).cloned().unwrap_or_default()),
                    ]),
                    _ => error(format!(
                        "ERR Can't execute '{}': only SUBSCRIBE / UNSUBSCRIBE / PING are allowed in this context",
                        String::from_utf8_lossy(&args[0]).to_lowercase()
                    )),
                };
                self.framed.feed(reply).await
            }
            _ => {
                let reply = execute(&self.db, &args);
                self.framed.feed(reply).await
            }
        }
    }

    /// 订阅、退订的回复：[动作, 频道, 此后还订阅着几个频道]。
    async fn feed_subscription(
        &mut self,
        kind: &'static str,
        channel: Frame,
    ) -> Result<(), RespError> {
        let count = self.subscriptions.len() as i64;
        let reply = Frame::Array(vec![
            Frame::Bulk(Bytes::from_static(kind.as_bytes())),
            channel,
            Frame::Integer(count),
        ]);
        self.framed.feed(reply).await
    }
}

/// 连接结束（包括任务被取消）时退订全部频道，让数据库删掉没人订阅的发送端。
impl<S> Drop for Connection<S> {
    fn drop(&mut self) {
        let channels: Vec<Bytes> = self.subscriptions.keys().cloned().collect();
        self.subscriptions.clear();
        for channel in channels {
            self.db.release(&channel);
        }
    }
}
// ANCHOR_END: command

// ANCHOR: count_writes
/// 包在连接外面，数一数服务器往连接里写了几次（每一次对真实的套接字就是一次系统调用）。
struct CountWrites<S> {
    inner: S,
    writes: Arc<AtomicUsize>,
}

impl<S: AsyncRead + Unpin> AsyncRead for CountWrites<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CountWrites<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(_)) = result {
            self.writes.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
// ANCHOR_END: count_writes

/// 客户端一侧：把命令编码成 RESP 数组。
fn encode(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
    }
    out
}

/// 连上一个在内存管道上服务的连接，返回客户端一端和服务器写的次数。
fn connect(db: &Db, shutdown: &CancellationToken) -> (tokio::io::DuplexStream, Arc<AtomicUsize>) {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let writes = Arc::new(AtomicUsize::new(0));
    let server = CountWrites {
        inner: server,
        writes: writes.clone(),
    };
    tokio::spawn(serve_connection(server, db.clone(), shutdown.clone()));
    (client, writes)
}

/// 读一次：单线程运行时上，服务器写完一批回复才会轮到客户端，一次就能读到整批。
async fn read_reply(client: &mut tokio::io::DuplexStream) -> Bytes {
    let mut buf = vec![0; 64 * 1024];
    let n = client.read(&mut buf).await.unwrap();
    Bytes::copy_from_slice(&buf[..n])
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let db = Db::start();
    let shutdown = CancellationToken::new();

    let (mut client, _) = connect(&db, &shutdown);
    let script: &[&[&str]] = &[
        &["SET", "visits", "41", "EX", "60"],
        &["INCR", "visits"],
        &["GET", "visits"],
        &["SET", "name", "ferris", "PX", "0"],
        &["SET", "name", "ferris", "EX", "1", "PX", "2"],
        &["SET", "name", "ferris"],
        &["INCR", "name"],
        &["DEL", "visits", "name", "nope"],
        &["GET", "visits"],
        &["GET"],
        &["FLUSHALL", "now"],
    ];
    for args in script {
        client.write_all(&encode(args)).await.unwrap();
        println!("{} → {:?}", args.join(" "), read_reply(&mut client).await);
    }

    // 订阅：另一个连接发布的消息，经由 broadcast 送到订阅者的连接上。
    let (mut subscriber, _) = connect(&db, &shutdown);
    subscriber
        .write_all(&encode(&["SUBSCRIBE", "news"]))
        .await
        .unwrap();
    println!("SUBSCRIBE news → {:?}", read_reply(&mut subscriber).await);
    client
        .write_all(&encode(&["PUBLISH", "news", "hello"]))
        .await
        .unwrap();
    println!("PUBLISH news hello → {:?}", read_reply(&mut client).await);
    println!("订阅者收到 → {:?}", read_reply(&mut subscriber).await);
    subscriber
        .write_all(&encode(&["GET", "visits"]))
        .await
        .unwrap();
    println!(
        "订阅者 GET visits → {:?}",
        read_reply(&mut subscriber).await
    );

    // 同样 16 条命令：逐条发送、等回复，与管线化地一次发出。
    let (mut one_by_one, writes) = connect(&db, &shutdown);
    for i in 0..16 {
        let key = format!("key:{i}");
        one_by_one
            .write_all(&encode(&["SET", &key, "v"]))
            .await
            .unwrap();
        read_reply(&mut one_by_one).await;
    }
    println!(
        "逐条发送 16 条命令：服务器写了 {} 次",
        writes.load(Ordering::Relaxed)
    );
    let (mut pipelined, writes) = connect(&db, &shutdown);
    let batch: Vec<u8> = (0..16)
        .flat_map(|i| encode(&["SET", &format!("key:{i}"), "v"]))
        .collect();
    pipelined.write_all(&batch).await.unwrap();
    let replies = read_reply(&mut pipelined).await;
    println!(
        "管线化地一次发送 16 条命令：服务器写了 {} 次，{} 字节的回复",
        writes.load(Ordering::Relaxed),
        replies.len()
    );
}
// ANCHOR_END: main
