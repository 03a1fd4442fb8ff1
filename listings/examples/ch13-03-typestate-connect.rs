//! 示例 13-3：类型状态构建器。必填的地址没设置，`connect` 这个方法就不存在；
//! 构建的最后一步是异步的 `connect().await`，它要先完成一次握手，才交出可用的连接。
//!
//! 没有真实网络：握手由 `FakeServer` 按预定的延迟完成。时钟是暂停的，程序瞬间跑完，
//! 打印出的时间是 Tokio 虚拟时钟上的时间。

use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

// ANCHOR: states
/// 类型状态：还没有地址。
#[derive(Debug)]
pub struct NoAddr;

/// 类型状态：已经有地址。
#[derive(Debug)]
pub struct HasAddr(String);

/// 构建器的类型参数记录“必填字段是否已设置”。
/// `#[must_use]`：只造出构建器、却忘了调用 `connect` 的语句会得到警告。
#[derive(Debug)]
#[must_use = "构建器什么也不做，要调用 connect().await 才会建立连接"]
pub struct ConnBuilder<A> {
    addr: A,
    connect_timeout: Duration,
}
// ANCHOR_END: states

/// 建立好的连接。
#[derive(Debug)]
pub struct Conn {
    addr: String,
}

#[derive(Debug)]
pub enum ConnectError {
    /// 握手没有在期限内完成。
    TimedOut(Duration),
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::TimedOut(d) => write!(f, "握手在 {d:?} 内没有完成"),
        }
    }
}

impl std::error::Error for ConnectError {}

/// 假的服务器：每个地址握手要花的时间是预先定好的。
struct FakeServer;

impl FakeServer {
    async fn handshake(addr: &str) {
        let delay = if addr.starts_with("slow") { 8 } else { 1 };
        tokio::time::sleep(Duration::from_secs(delay)).await;
    }
}

// ANCHOR: builder
impl Conn {
    /// 入口：一开始没有地址。
    pub fn builder() -> ConnBuilder<NoAddr> {
        ConnBuilder {
            addr: NoAddr,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

// 任何状态下都能设置的可选参数。
impl<A> ConnBuilder<A> {
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
}

// 设置地址会改变类型：ConnBuilder<NoAddr> 变成 ConnBuilder<HasAddr>。
impl ConnBuilder<NoAddr> {
    pub fn addr(self, addr: impl Into<String>) -> ConnBuilder<HasAddr> {
        ConnBuilder {
            addr: HasAddr(addr.into()),
            connect_timeout: self.connect_timeout,
        }
    }
}

// 只有带地址的构建器才有 connect：缺了地址就是编译错误，而不是运行时错误。
impl ConnBuilder<HasAddr> {
    pub async fn connect(self) -> Result<Conn, ConnectError> {
        let HasAddr(addr) = self.addr;
        match tokio::time::timeout(self.connect_timeout, FakeServer::handshake(&addr)).await {
            Ok(()) => Ok(Conn { addr }),
            Err(_) => Err(ConnectError::TimedOut(self.connect_timeout)),
        }
    }
}
// ANCHOR_END: builder

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();

    // 可选参数与必填参数的顺序随意，但 connect 之前一定要有 addr。
    let conn = Conn::builder()
        .connect_timeout(Duration::from_secs(3))
        .addr("db.internal:5432")
        .connect()
        .await;
    println!("[{:?}] {conn:?}", start.elapsed());

    // 握手要 8 秒，超过了默认的 5 秒：连接失败，错误在这一步就暴露。
    match Conn::builder().addr("slow.internal:5432").connect().await {
        Ok(conn) => println!("意外成功：{}", conn.addr),
        Err(e) => println!("[{:?}] 连接失败：{e}", start.elapsed()),
    }
}
// ANCHOR_END: main
