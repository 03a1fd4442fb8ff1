//! 示例 13-4（无法编译）：没有设置地址就调用 connect。

use std::time::Duration;

pub struct NoAddr;
pub struct HasAddr(String);

#[must_use = "构建器什么也不做，要调用 connect().await 才会建立连接"]
pub struct ConnBuilder<A> {
    addr: A,
    connect_timeout: Duration,
}

pub struct Conn {
    pub addr: String,
    pub connect_timeout: Duration,
}

impl Conn {
    pub fn builder() -> ConnBuilder<NoAddr> {
        ConnBuilder {
            addr: NoAddr,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

impl ConnBuilder<NoAddr> {
    pub fn addr(self, addr: impl Into<String>) -> ConnBuilder<HasAddr> {
        ConnBuilder {
            addr: HasAddr(addr.into()),
            connect_timeout: self.connect_timeout,
        }
    }
}

impl ConnBuilder<HasAddr> {
    pub async fn connect(self) -> Conn {
        let HasAddr(addr) = self.addr;
        Conn {
            addr,
            connect_timeout: self.connect_timeout,
        }
    }
}

// ANCHOR: main
#[tokio::main]
async fn main() {
    // 忘了 .addr(…)：ConnBuilder<NoAddr> 上没有 connect 方法。
    let conn = Conn::builder().connect().await;
    println!("{}", conn.addr);
}
// ANCHOR_END: main
