//! 示例 13-1：带默认值与校验的构建器。

use std::fmt;
use std::time::Duration;

// ANCHOR: types
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
// ANCHOR_END: types

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

// ANCHOR: builder
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
// ANCHOR_END: builder

// ANCHOR: main
fn main() -> Result<(), BuildError> {
    // 什么都不设置：全部取默认值。
    let default_client = HttpClient::builder().build()?;
    println!("默认：{default_client}");

    // 只覆盖需要的字段，顺序随意。
    let custom = HttpClientBuilder::new()
        .timeout(Duration::from_secs(10))
        .max_retries(5)
        .user_agent("async-guide/0.1")
        .build()?;
    println!("覆盖：{custom}");

    // 不合法的组合在 build() 时就被拒绝。
    for bad in [
        HttpClient::builder().timeout(Duration::ZERO),
        HttpClient::builder().user_agent("  "),
    ] {
        match bad.build() {
            Ok(client) => println!("意外成功：{client}"),
            Err(e) => println!("拒绝：{e}（{e:?}）"),
        }
    }
    Ok(())
}
// ANCHOR_END: main
