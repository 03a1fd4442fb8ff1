//! 示例 13-2：构建出来的配置驱动一个异步请求：超时与重试。
//!
//! 没有真实网络：FakeServer 按预定的延迟作答。时钟是暂停的，
//! 程序瞬间跑完，而打印出的时间是 Tokio 虚拟时钟上的时间。

use std::cell::Cell;
use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

/// 构建完成的客户端：字段私有，只能经由构建器得到，因此总是合法的。
#[derive(Debug)]
pub struct HttpClient {
    timeout: Duration,
    max_retries: usize,
    user_agent: String,
}

/// 构建器：每个字段都是 Option，None 表示“使用默认值”。
#[derive(Debug, Default)]
pub struct HttpClientBuilder {
    timeout: Option<Duration>,
    max_retries: Option<usize>,
    user_agent: Option<String>,
}

/// build() 拒绝的配置。
#[derive(Debug, PartialEq, Eq)]
pub enum BuildError {
    ZeroTimeout,
    EmptyUserAgent,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::ZeroTimeout => write!(f, "超时不能为 0：任何需要等待的请求都会立刻超时"),
            BuildError::EmptyUserAgent => write!(f, "User-Agent 不能为空"),
        }
    }
}

impl std::error::Error for BuildError {}

// 只读访问器：构建之后配置不能再改。
impl HttpClient {
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn max_retries(&self) -> usize {
        self.max_retries
    }

    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
}

impl fmt::Display for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "超时 {:?}，最多重试 {} 次，User-Agent = {:?}",
            self.timeout(),
            self.max_retries(),
            self.user_agent()
        )
    }
}

impl HttpClient {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_MAX_RETRIES: usize = 3;
    pub const DEFAULT_USER_AGENT: &'static str = "Rust/1.0";

    /// 入口：调用方不必知道构建器类型的名字。
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }
}

impl HttpClientBuilder {
    // 有了 Default，new() 只是一个习惯用的别名；
    // 只写 new() 而不实现 Default，clippy 会报 new_without_default。
    pub fn new() -> Self {
        Self::default()
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn max_retries(mut self, retries: usize) -> Self {
        self.max_retries = Some(retries);
        self
    }

    // 接受 impl Into<String>：&str 和 String 都能直接传入。
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// 在这里一次性补上默认值并校验；错误在构造时暴露，而不是在第一次请求时。
    pub fn build(self) -> Result<HttpClient, BuildError> {
        let timeout = self.timeout.unwrap_or(HttpClient::DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(BuildError::ZeroTimeout);
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| HttpClient::DEFAULT_USER_AGENT.to_string());
        if user_agent.trim().is_empty() {
            return Err(BuildError::EmptyUserAgent);
        }
        Ok(HttpClient {
            timeout,
            max_retries: self.max_retries.unwrap_or(HttpClient::DEFAULT_MAX_RETRIES),
            user_agent,
        })
    }
}

// ANCHOR: server
/// 假的服务器：第 n 次请求在 delays[n] 之后才作答。
struct FakeServer {
    delays: Vec<Duration>,
    calls: Cell<usize>,
}

impl FakeServer {
    fn new(delays_secs: &[u64]) -> Self {
        let delays = delays_secs
            .iter()
            .map(|&s| Duration::from_secs(s))
            .collect();
        Self {
            delays,
            calls: Cell::new(0),
        }
    }

    async fn respond(&self, path: &str, user_agent: &str) -> String {
        let n = self.calls.get();
        self.calls.set(n + 1);
        tokio::time::sleep(self.delays[n]).await;
        format!("200 OK {path}（User-Agent: {user_agent}）")
    }
}
// ANCHOR_END: server

// ANCHOR: get
impl HttpClient {
    /// 首次尝试加最多 max_retries 次重试；每次尝试都受 timeout 限制。
    async fn get(&self, server: &FakeServer, path: &str) -> Result<String, String> {
        let start = Instant::now();
        for attempt in 1..=self.max_retries + 1 {
            let request = server.respond(path, &self.user_agent);
            // 超时到期时 timeout 丢弃 request：这次尝试被取消，而不是在后台继续跑。
            match tokio::time::timeout(self.timeout, request).await {
                Ok(body) => {
                    println!("  [{:?}] 第 {attempt} 次尝试成功", start.elapsed());
                    return Ok(body);
                }
                Err(_) => println!("  [{:?}] 第 {attempt} 次尝试超时", start.elapsed()),
            }
        }
        Err(format!("放弃：{} 次尝试全部超时", self.max_retries + 1))
    }
}
// ANCHOR_END: get

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), BuildError> {
    // 服务器前两次都要 40 秒才作答，第三次只要 5 秒。
    let delays = [40, 40, 5, 5, 5, 5];

    let patient = HttpClient::builder().build()?;
    println!("默认配置（{patient}）：");
    let server = FakeServer::new(&delays);
    println!("  结果：{:?}", patient.get(&server, "/users").await);

    let impatient = HttpClient::builder()
        .timeout(Duration::from_secs(10))
        .max_retries(1)
        .user_agent("async-guide/0.1")
        .build()?;
    println!("覆盖配置（{impatient}）：");
    let server = FakeServer::new(&delays);
    println!("  结果：{:?}", impatient.get(&server, "/users").await);
    Ok(())
}
// ANCHOR_END: main
