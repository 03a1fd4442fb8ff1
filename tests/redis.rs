//! 第 19 章的迷你 Redis（示例 19-6）由别人写的客户端驱动：Debian 的 redis-tools 包里的
//! `redis-cli` 与 `redis-benchmark`（由 `cargo xtask tools` 安装，和浏览器测试的 Chromium 一样）。
//! 它们没有为这个服务器做任何迁就：回复的格式、类型、错误稍有不对，它们就会报错或打印出不同的东西。
//!
//! - 回复：PING、SET/GET、DEL、INCR（包括对非整数 INCR 的错误）、未知命令、参数个数不对；
//! - 过期：`SET … PX 400` 在真实的时间里过期：立即读得到（机器太忙时不下结论），过期 0.6 秒后读不到；
//!   没有人读的过期键也被清理掉；
//! - 并发：redis-benchmark 同时打开 200 个连接做 4000 次 INCR，计数一次不少；
//!   管线化（`-P 16`）同样一次不少；SET/GET 各 4000 次没有一个错误回复；
//! - 发布订阅：`redis-cli subscribe` 收到 `redis-cli publish` 发出的消息，
//!   订阅者断开之后，发布的接收者个数回到 0；
//! - 坏输入（用 TcpStream 直接发字节）：格式错误的帧、超过上限的字符串长度、不是 RESP 的输入，
//!   都得到 RESP 错误，这个连接随后被关闭；未知命令得到错误，连接照常可用；
//!   一个大值被拆成许多小段发送，拼回来的值逐字节相同；之后服务器照常服务新的客户端；
//! - 停止：SIGINT 或 SIGTERM 之后（启动时这两个信号处于“忽略”状态，与 `tests/network.rs` 相同），
//!   订阅中的连接和空闲的连接被关闭，进程以退出码 0 结束。
//!
//! 缺少 redis-tools 时测试失败，并说明用 `cargo xtask tools` 安装，不会悄悄跳过。
//! 所有连接只发往本机回环地址，请求数和时间都有上限。

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use book_tests::server::{self, Server, lines_of, next_lines};
use wait_timeout::ChildExt;

const NAME: &str = "ch19-06-server";
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// 确认 redis-tools 装好了；没有就让测试失败，说明怎样安装。
fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "找不到 {tool}（Debian 的 redis-tools 包）。第 19 章的测试用它驱动迷你 Redis：\
         运行 `cargo xtask tools` 安装（需要 root 或免密码的 sudo），或者手动运行 \
         `apt-get install redis-tools`"
    );
}

/// 启动示例 19-6：监听 127.0.0.1:0，从第一行输出读出端口。与 `tests/network.rs` 一样，
/// 启动前 SIGINT、SIGTERM 被设为忽略：服务器必须自己登记信号处理。
fn start() -> Server {
    require("redis-cli");
    server::start(NAME, &[], "")
}

/// 用 redis-tools 驱动运行中的迷你 Redis。
trait RedisTools {
    fn port(&self) -> String;
    fn cli(&self, args: &[&str]) -> String;
    fn benchmark(&self, args: &[&str]);
}

impl RedisTools for Server {
    fn port(&self) -> String {
        self.addr.port().to_string()
    }

    /// 运行 `redis-cli --no-raw 参数…`，返回它的输出（去掉结尾的换行）。
    /// `--no-raw` 让 redis-cli 标出回复的类型：`(integer) 1`、`(nil)`、`(error) ERR …`、`"v"`。
    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port(), "--no-raw"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("运行 redis-cli");
        assert!(
            out.status.success(),
            "redis-cli {args:?} 失败（{}）：{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// 运行 redis-benchmark（`-q`：每个测试只打印一行结果），要求它成功结束：
    /// 收到任何错误回复，它都以非零退出码结束。
    fn benchmark(&self, args: &[&str]) {
        require("redis-benchmark");
        let out = Command::new("redis-benchmark")
            .args(["-h", "127.0.0.1", "-p", &self.port(), "-q"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("运行 redis-benchmark");
        assert!(
            out.status.success(),
            "redis-benchmark {args:?} 失败（{}）：\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn replies_checked_by_redis_cli() {
    let mut s = start();
    let cases: &[(&[&str], &str)] = &[
        (&["PING"], "PONG"),
        (&["PING", "hello"], "\"hello\""),
        (&["SET", "greeting", "hello world"], "OK"),
        (&["GET", "greeting"], "\"hello world\""),
        (&["GET", "nope"], "(nil)"),
        (&["INCR", "visits"], "(integer) 1"),
        (&["INCR", "visits"], "(integer) 2"),
        (&["GET", "visits"], "\"2\""),
        (
            &["INCR", "greeting"],
            "(error) ERR value is not an integer or out of range",
        ),
        (&["SET", "max", "9223372036854775807"], "OK"),
        (
            &["INCR", "max"],
            "(error) ERR increment or decrement would overflow",
        ),
        (&["DEL", "greeting", "visits", "nope"], "(integer) 2"),
        (&["GET", "greeting"], "(nil)"),
        (
            &["SET", "k", "v", "EX", "0"],
            "(error) ERR invalid expire time in 'set' command",
        ),
        (&["SET", "k", "v", "EX"], "(error) ERR syntax error"),
        (
            &["GET"],
            "(error) ERR wrong number of arguments for 'get' command",
        ),
        (
            &["FLUSHALL", "now"],
            "(error) ERR unknown command 'FLUSHALL', with args beginning with: 'now'",
        ),
        // Redis 只认规范的十进制写法：`007`、`+5` 不是整数（Rust 的 `parse` 却接受它们）。
        (&["SET", "n", "007"], "OK"),
        (
            &["INCR", "n"],
            "(error) ERR value is not an integer or out of range",
        ),
        (
            &["SET", "k", "v", "EX", "+5"],
            "(error) ERR value is not an integer or out of range",
        ),
        // 同一个选项写两次，Redis 取后一个；EX 与 PX 同时出现才是语法错误。
        (&["SET", "k", "v", "EX", "100", "EX", "200"], "OK"),
        (
            &["SET", "k", "v", "EX", "1", "PX", "2"],
            "(error) ERR syntax error",
        ),
        (&["DBSIZE"], "(integer) 3"),
    ];
    for (args, want) in cases {
        assert_eq!(s.cli(args), *want, "redis-cli {args:?}");
    }
    s.stop_with("INT");
}

fn keys_expire_in_real_time() {
    let mut s = start();
    let set_at = Instant::now();
    assert_eq!(s.cli(&["SET", "session", "alice", "PX", "400"]), "OK");
    assert_eq!(s.cli(&["SET", "unread", "x", "PX", "400"]), "OK");
    // 后一个键的期限从它的 SET 返回之前算起：等待从这里量，余量不被 redis-cli 的启动吃掉。
    let last_set = Instant::now();
    assert_eq!(s.cli(&["SET", "later", "y", "EX", "60"]), "OK");
    assert_eq!(s.cli(&["SET", "forever", "z"]), "OK");
    // 离过期还早：一定还在（redis-cli 启动只要几毫秒；机器太忙、已经过去 200 毫秒时不下结论）。
    let read = s.cli(&["GET", "session"]);
    if set_at.elapsed() < Duration::from_millis(200) {
        assert_eq!(read, "\"alice\"", "0.4 秒后才过期的键，立即读不到");
    }
    // 过期半秒多之后：读不到了；没有人读的那个也被清理任务删掉了（它睡到最早的过期时刻就醒）。
    std::thread::sleep(Duration::from_millis(1000).saturating_sub(last_set.elapsed()));
    assert_eq!(s.cli(&["GET", "session"]), "(nil)");
    assert_eq!(
        s.cli(&["DBSIZE"]),
        "(integer) 2",
        "过期而没有人读的键应被清理任务删掉"
    );
    assert_eq!(s.cli(&["GET", "later"]), "\"y\"");
    s.stop_with("INT");
}

fn two_hundred_concurrent_clients_lose_nothing() {
    let mut s = start();
    // 200 个连接同时发 INCR，全打在同一个键上（不加 -r 时键名就是字面上的 counter:__rand_int__），
    // 平均每个连接 20 条。要证明的是并发下一条不丢，不是吞吐量（那是 `cargo xtask bench redis` 的事）。
    s.benchmark(&["-c", "200", "-n", "4000", "-t", "incr"]);
    assert_eq!(s.cli(&["GET", "counter:__rand_int__"]), "\"4000\"");
    // 管线化：每个连接一次发 16 条。
    s.benchmark(&["-c", "50", "-P", "16", "-n", "4000", "-t", "incr"]);
    assert_eq!(s.cli(&["GET", "counter:__rand_int__"]), "\"8000\"");
    // SET 与 GET：200 个连接，1000 个随机的键，没有一个错误回复（否则 redis-benchmark 失败）。
    s.benchmark(&["-c", "200", "-n", "4000", "-t", "set,get", "-r", "1000"]);
    assert_eq!(s.cli(&["GET", "key:__rand_int__"]), "(nil)");
    s.stop_with("INT");
}

fn publish_reaches_a_redis_cli_subscriber() {
    let mut s = start();
    let mut subscriber = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &s.port(), "subscribe", "news"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("运行 redis-cli subscribe");
    let lines = lines_of(subscriber.stdout.take().unwrap());
    // redis-cli 在没有终端时逐行打印回复的每个元素：动作、频道、订阅数。
    assert_eq!(
        next_lines(&lines, 3, "订阅的确认"),
        ["subscribe", "news", "1"]
    );
    assert_eq!(s.cli(&["PUBLISH", "news", "hello"]), "(integer) 1");
    assert_eq!(
        next_lines(&lines, 3, "订阅者收到的消息"),
        ["message", "news", "hello"]
    );
    assert_eq!(s.cli(&["PUBLISH", "sports", "goal"]), "(integer) 0");

    // 订阅者断开之后，服务器退订它，发布的接收者个数回到 0。
    subscriber.kill().unwrap();
    subscriber.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.cli(&["PUBLISH", "news", "anyone?"]) != "(integer) 0" {
        assert!(
            Instant::now() < deadline,
            "订阅者断开 10 秒后，发布仍然送到 1 个接收者"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    s.stop_with("INT");
}

/// 发一段原始字节，读回复，直到读满 `want` 的长度（或者连接被关闭）。
fn exchange(stream: &mut TcpStream, send: &[u8], want: &[u8]) {
    stream.write_all(send).unwrap();
    let mut got = vec![0; want.len()];
    stream
        .read_exact(&mut got)
        .unwrap_or_else(|e| panic!("发送 {:?} 之后读回复：{e}", String::from_utf8_lossy(send)));
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(want),
        "发送 {:?} 的回复",
        String::from_utf8_lossy(send)
    );
}

fn raw_connection(s: &Server) -> TcpStream {
    let stream = TcpStream::connect(s.addr).unwrap();
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    stream
}

fn bad_input_gets_a_resp_error_and_the_server_keeps_serving() {
    let mut s = start();

    // 未知命令：错误回复，连接照常可用。
    let mut ok = raw_connection(&s);
    exchange(
        &mut ok,
        b"*2\r\n$3\r\nFOO\r\n$3\r\nbar\r\n*1\r\n$4\r\nPING\r\n",
        b"-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n+PONG\r\n",
    );
    // 命令名里带着 \r\n：错误信息里换成空格（与 redis-server 相同），回复仍是一帧。
    exchange(
        &mut ok,
        b"*2\r\n$4\r\nA\r\nB\r\n$1\r\nx\r\n*1\r\n$4\r\nPING\r\n",
        b"-ERR unknown command 'A  B', with args beginning with: 'x' \r\n+PONG\r\n",
    );

    // 协议错误：一个 RESP 错误，然后连接被关闭（之后从哪里开始是下一帧，已经无从知道）。
    let protocol_errors: &[(&[u8], &[u8])] = &[
        (
            b"*2\r\n$3\r\nGET\r\n:1\r\n",
            b"-ERR Protocol error: expected '$', got ':'\r\n",
        ),
        (
            // 声明一个 2 MB 的值：超过上限，数据还没发就被拒绝。
            b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$2000000\r\n",
            b"-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*1\r\n$4\r\nPINGxx",
            b"-ERR Protocol error: expected CRLF after bulk string\r\n",
        ),
        (
            b"hello there\r\n",
            b"-ERR Protocol error: expected '*', got 'h'\r\n",
        ),
        (
            b"*11111111111111111111111111111111111111111111111111",
            b"-ERR Protocol error: too big multibulk line\r\n",
        ),
    ];
    for (send, want) in protocol_errors {
        let mut bad = raw_connection(&s);
        exchange(&mut bad, send, want);
        let mut rest = Vec::new();
        bad.read_to_end(&mut rest)
            .unwrap_or_else(|e| panic!("协议错误之后，连接应被正常关闭：{e}"));
        assert!(rest.is_empty(), "协议错误之后又收到 {rest:?}");
    }

    // 一个 300 KB 的值拆成许多小段发送：服务器每次只收到半截的帧，拼回来的值逐字节相同。
    let value: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut frame = format!("*3\r\n$3\r\nSET\r\n$4\r\nblob\r\n${}\r\n", value.len()).into_bytes();
    frame.extend_from_slice(&value);
    frame.extend_from_slice(b"\r\n");
    for chunk in frame.chunks(1000) {
        ok.write_all(chunk).unwrap();
        ok.flush().unwrap();
    }
    exchange(&mut ok, b"", b"+OK\r\n");
    let mut want = format!("${}\r\n", value.len()).into_bytes();
    want.extend_from_slice(&value);
    want.extend_from_slice(b"\r\n");
    exchange(&mut ok, b"*2\r\n$3\r\nGET\r\n$4\r\nblob\r\n", &want);
    ok.shutdown(Shutdown::Write).unwrap();

    // 坏输入之后，服务器照常服务新的客户端。
    assert_eq!(s.cli(&["PING"]), "PONG");
    assert_eq!(s.cli(&["DBSIZE"]), "(integer) 1");
    s.stop_with("INT");
}

/// 第 16 章的停止过程：订阅中的连接、空闲的连接都被关闭，进程以退出码 0 结束。
fn sigterm_closes_subscribers_and_idle_connections() {
    let mut s = start();
    let mut subscriber = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &s.port(), "subscribe", "news"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("运行 redis-cli subscribe");
    let lines = lines_of(subscriber.stdout.take().unwrap());
    next_lines(&lines, 3, "订阅的确认");
    let mut idle = raw_connection(&s);
    exchange(&mut idle, b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n");

    let started = Instant::now();
    let log = s.stop_with("TERM");
    assert!(
        log.iter().any(|l| l.contains("收到 SIGTERM")),
        "日志里没有“收到 SIGTERM”：{log:?}"
    );
    let mut rest = Vec::new();
    idle.read_to_end(&mut rest).expect("空闲的连接应被正常关闭");
    assert!(rest.is_empty(), "空闲的连接收到了 {rest:?}");
    let status = subscriber
        .wait_timeout(Duration::from_secs(10))
        .unwrap()
        .expect("服务器退出之后，订阅中的 redis-cli 应因连接关闭而结束");
    // redis-cli 报告“Server closed the connection”，以非零退出码结束。
    assert!(!status.success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "订阅中和空闲的连接要立即关闭，不能等到排空期限"
    );
}

tests![
    replies_checked_by_redis_cli,
    keys_expire_in_real_time,
    two_hundred_concurrent_clients_lose_nothing,
    publish_reaches_a_redis_cli_subscriber,
    bad_input_gets_a_resp_error_and_the_server_keeps_serving,
    sigterm_closes_subscribers_and_idle_connections,
];
