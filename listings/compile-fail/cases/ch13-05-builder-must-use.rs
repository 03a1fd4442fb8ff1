//! 示例 13-5（无法编译）：造出构建器却忘了 connect。本书的检查把警告当作错误
//! （`-D warnings`），这里用 `deny` 在这一个文件里做同样的事。
#![deny(unused_must_use)]

use std::time::Duration;

#[must_use = "构建器什么也不做，要调用 connect().await 才会建立连接"]
pub struct ConnBuilder {
    addr: String,
    connect_timeout: Duration,
}

impl ConnBuilder {
    pub fn new(addr: &str) -> Self {
        ConnBuilder {
            addr: addr.to_string(),
            connect_timeout: Duration::from_secs(5),
        }
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub async fn connect(self) {
        println!("连接 {}（期限 {:?}）", self.addr, self.connect_timeout);
    }
}

// ANCHOR: main
#[tokio::main]
async fn main() {
    // 只设置了参数，没有 .connect().await：这一行什么也没做。
    ConnBuilder::new("db.internal:5432").connect_timeout(Duration::from_secs(3));
}
// ANCHOR_END: main
