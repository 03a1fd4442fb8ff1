//! 驱动服务器示例的测试共用的部分：编译并启动服务器、读它的日志、发信号、等它退出。
//!
//! `tests/network.rs`（第 3、10、16 章）、`tests/redis.rs`（第 19 章）和 `tests/http.rs`
//! （第 20 章）都用它，所以“服务器启动时 SIGINT、SIGTERM 处于忽略状态”这条规则只写在一处。

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::{SERVER_LISTINGS, run::built_examples};

/// 服务器启动后多久之内必须打印出监听地址。
const START_LIMIT: Duration = Duration::from_secs(10);
/// `Drop` 发出 SIGINT 之后最多等多久，再杀掉进程。
const DROP_GRACE: Duration = Duration::from_secs(2);

/// 编译好的服务器示例的路径。同一个测试程序里的几个测试并行启动服务器时，示例只编译一次。
pub fn server_exe(name: &str) -> PathBuf {
    assert!(
        SERVER_LISTINGS.contains(&name),
        "{name} 不在 tests/src/lib.rs 的 SERVER_LISTINGS 中：服务器示例要登记在那里（它们没有 .out 文件）"
    );
    match built_examples() {
        Ok(dir) => dir.join(name),
        Err(e) => panic!("编译示例失败：{e}"),
    }
}

/// 一个正在运行的服务器示例。测试结束（包括中途 panic）时，`Drop` 先发 SIGINT 请它退出，
/// 两秒内没有退出就杀掉它，不留下孤儿进程；被杀掉的服务器来不及自己收拾，`Drop` 替它删掉
/// `leftovers` 里的文件。
pub struct Server {
    pub name: &'static str,
    pub child: Child,
    /// 服务器打印的监听地址。
    pub addr: SocketAddr,
    /// 监听地址那一行之后，服务器在标准输出上打印的每一行。
    pub log: Receiver<String>,
    /// 服务器正常退出时自己会删掉、被杀掉时要由测试删掉的文件（例如临时数据库）。
    pub leftovers: Vec<PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop_or_kill() {
            for file in &self.leftovers {
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

/// 启动服务器示例 `name`，让它监听 `127.0.0.1:0`，从日志中第一个含 `marker` 的行
/// （`marker` 为空时就是第一行）的末尾读出真实地址。`env` 是额外的环境变量。
///
/// 服务器经 `sh` 启动，`sh` 先把 SIGINT 和 SIGTERM 设为忽略再 `exec` 它：被忽略的信号在
/// `exec` 之后仍被忽略。这正是 `cargo test … &` 这样的后台作业里的情形（非交互的 shell
/// 让后台命令忽略 SIGINT）。服务器若不自己登记信号处理就停不下来，而且在前台运行测试时
/// 也同样会被发现：测试的结果不取决于它是怎样启动的。
pub fn start(name: &'static str, env: &[(&str, &str)], marker: &str) -> Server {
    let exe = server_exe(name);
    let mut child = Command::new("sh")
        .args(["-c", "trap '' INT TERM; exec \"$0\" \"$@\""])
        .arg(&exe)
        .arg("127.0.0.1:0")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("无法启动 {}：{e}", exe.display()));
    let log = lines_of(child.stdout.take().expect("标准输出是管道"));
    // 先把子进程交给 Server：下面读地址失败而 panic 时，Drop 照样收拾它。
    let mut server = Server {
        name,
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        log,
        leftovers: Vec::new(),
    };
    let lines = server.wait_for_log(marker, 1, START_LIMIT);
    let line = lines.last().expect("wait_for_log 至少返回一行");
    server.addr = line
        .trim()
        .rsplit(|c: char| c.is_whitespace() || c == '：')
        .next()
        .and_then(|s| s.parse::<SocketAddr>().ok())
        .unwrap_or_else(|| {
            panic!(
                "{name}：`{}` 不以监听地址结尾（约定：绑定之后立即打印一行，以地址结尾）",
                line.trim()
            )
        });
    server
}

/// 在另一个线程里逐行读一个管道，经通道交出：读的一方不会因为对方不打印而卡死。
/// 一直读到对方关闭管道：管道不能被写满，也不能在服务器还要写日志时被关掉（否则它的
/// 打印会因 EPIPE 而失败）。
pub fn lines_of(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            // 测试不再要日志时照样读下去（并丢弃）。
            let _ = tx.send(line);
        }
    });
    rx
}

/// 从 `rx` 读出接下来的 `n` 行，最多等 10 秒；`what` 用在报错里。
pub fn next_lines(rx: &Receiver<String>, n: usize, what: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    while got.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => got.push(line),
            Err(_) => panic!("{what}：10 秒内只读到 {got:?}，期望 {n} 行"),
        }
    }
    got
}

impl Server {
    /// 向服务器进程发送信号（`kill -s INT` 就是读者按 Ctrl-C）。
    pub fn signal(&self, signal: &str) {
        let name = self.name;
        let sent = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("无法运行 kill：{e}"));
        assert!(sent.success(), "{name}：kill -s {signal} 失败（{sent}）");
    }

    /// 发送信号请服务器停止，要求它在 10 秒内以退出码 0 结束；返回它最后打印的日志。
    pub fn stop_with(&mut self, signal: &str) -> Vec<String> {
        self.signal(signal);
        self.wait_exit(signal, Duration::from_secs(10));
        self.rest_of_log()
    }

    /// 进程退出之后日志里剩下的行。读日志的线程要到读到管道的结尾才把最后几行交过来，
    /// 进程退出时它未必已经读完（机器忙时尤其如此）：一直收到它关掉通道为止，不能只取眼前已有的。
    pub fn rest_of_log(&self) -> Vec<String> {
        use std::sync::mpsc::RecvTimeoutError;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut lines = Vec::new();
        loop {
            match self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Disconnected) => return lines,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{}：进程已经退出，10 秒内它的标准输出仍没有关闭（有子进程继承了它？）；已读到 {lines:?}",
                    self.name
                ),
            }
        }
    }

    /// 收到信号 `signal` 之后，要求服务器在 `limit` 之内以退出码 0 结束。
    pub fn wait_exit(&mut self, signal: &str, limit: Duration) {
        let name = self.name;
        let Some(status) = self.wait_timeout(limit) else {
            let _ = self.child.kill();
            let _ = self.child.wait();
            panic!(
                "{name}：收到 SIG{signal} 后 {limit:?} 仍未退出。服务器启动时这个信号处于“忽略”状态\
                 （后台作业就是这样）：服务器要自己登记信号处理（tokio::signal、async-signal），\
                 收到后停止接受连接并从 main 返回"
            );
        };
        assert!(
            status.success(),
            "{name}：收到 SIG{signal} 后应停止接受连接并以退出码 0 结束，实际 {status}"
        );
    }

    fn wait_timeout(&mut self, limit: Duration) -> Option<ExitStatus> {
        self.child
            .wait_timeout(limit)
            .unwrap_or_else(|e| panic!("{}：无法等待进程：{e}", self.name))
    }

    /// 读服务器的日志，直到含有 `what` 的行出现了 `count` 次；返回读到的全部行。
    pub fn wait_for_log(&self, what: &str, count: usize, limit: Duration) -> Vec<String> {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        while seen.iter().filter(|l: &&String| l.contains(what)).count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => panic!(
                    "{}：{limit:?} 内没有等到 {count} 行含“{what}”的日志，读到的是：\n{}",
                    self.name,
                    seen.join("\n")
                ),
            }
        }
        seen
    }

    /// 服务器还在运行就发 SIGINT，两秒内没有退出就杀掉它。返回是否不得不杀掉它。
    fn stop_or_kill(&mut self) -> bool {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return false;
        }
        let _ = Command::new("kill")
            .args(["-s", "INT", &self.child.id().to_string()])
            .status();
        if matches!(self.child.wait_timeout(DROP_GRACE), Ok(Some(_))) {
            return false;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        true
    }
}
