//! 第 20 章的待办事项服务（示例 20-6）由一个真实的 HTTP 客户端经回环地址驱动。
//!
//! 客户端就在这个文件里：它直接在 `std::net::TcpStream` 上写 HTTP/1.1 请求、读回响应，
//! 与示例里 hyper 的客户端毫不相干，服务器的回答因此不是“自己人”替它解释的。
//!
//! - 增删改查：状态码和 JSON 响应体逐字核对；
//! - 坏输入：每一种都得到 4xx、`Content-Type: application/json` 和一个 `{"error": …}`，
//!   之后服务器照常服务（handler 里的 panic 会让连接没有回复就断开，在这里就会失败）；
//! - 超过期限的请求得到 408；超过并发上限的请求立即得到 503；
//! - 64 个客户端（正好是并发上限）同时写入，一条不丢；
//! - 请求在途时发送 SIGINT 或 SIGTERM：在途的请求得到完整的回复，空闲的长连接被关闭，
//!   之后的连接被拒绝，进程在排空期限内以退出码 0 结束，临时数据库被删掉。
//!
//! 服务器启动时 SIGINT 和 SIGTERM 处于“忽略”状态，理由见 `tests/network.rs`。
//! 所有连接只发往 127.0.0.1，客户端数量和每一次等待都有上限。

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Child;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use book_tests::server::{self, Server};

const SERVER: &str = "ch20-06-server";
const IO_TIMEOUT: Duration = Duration::from_secs(20);
/// 示例 20-6 的上限：请求处理超时、同时在途的请求数、请求体字节数、排空期限。
const TIMEOUT: Duration = Duration::from_secs(1);
const MAX_IN_FLIGHT: usize = 64;
const MAX_BODY: usize = 16 * 1024;
const DRAIN: Duration = Duration::from_secs(5);

/// 服务器的临时数据库（示例 20-6 用自己的进程号命名它）。
fn db_file(child: &Child) -> PathBuf {
    std::env::temp_dir().join(format!("ch20-todos-{}.sqlite", child.id()))
}

/// 启动服务器（SIGINT、SIGTERM 先被设为忽略），从“正在监听”那一行日志读出地址。
/// LOG_LEVEL=debug 时 sqlx 执行建表语句的日志在它前面，所以不要求它是第一行。
/// 服务器被杀掉时来不及删掉自己的临时数据库，由 `Server` 的 `Drop` 替它删。
fn start(log_level: &str) -> Server {
    let mut server = server::start(SERVER, &[("LOG_LEVEL", log_level)], "正在监听");
    let db = db_file(&server.child);
    server.leftovers = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
        .collect();
    server
}

/// 一个 HTTP 响应。
#[derive(Debug)]
struct Reply {
    status: u16,
    /// 响应头，名字转成小写：`content-type: application/json`。
    headers: Vec<String>,
    body: String,
}

impl Reply {
    fn is_json(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h == "content-type: application/json")
    }
}

/// 在一条已经连上的连接上写一个请求。
fn write_request(
    stream: &mut TcpStream,
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes)
}

/// 解析一个完整的响应（状态行、响应头、按 Content-Length 或 chunked 读出的响应体）。
/// 读够一个响应就停，不等连接关闭：长连接上也能用。
fn read_reply(stream: &mut TcpStream) -> Result<Reply, String> {
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .map_err(|e| format!("读状态行：{e}"))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("状态行不对：{status_line:?}"))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("读响应头：{e}"))?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or("响应头没有冒号")?;
        headers.push(format!("{}: {}", name.to_ascii_lowercase(), value.trim()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find_map(|h| h.strip_prefix(&format!("{name}: ")).map(str::to_string))
    };
    let mut body = Vec::new();
    if let Some(len) = header("content-length") {
        let len: usize = len.parse().map_err(|_| "Content-Length 不是数字")?;
        body.resize(len, 0);
        reader
            .read_exact(&mut body)
            .map_err(|e| format!("读响应体：{e}"))?;
    } else if header("transfer-encoding").as_deref() == Some("chunked") {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    let body = String::from_utf8(body).map_err(|_| "响应体不是 UTF-8")?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// 发一个请求（新连接，`Connection: close`），返回响应。
fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("连接失败：{e}"))?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    write_request(&mut stream, addr, method, path, content_type, body, false)
        .map_err(|e| format!("写请求：{e}"))?;
    read_reply(&mut stream).map_err(|e| format!("{method} {path}：{e}"))
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    call(addr, "GET", path, None, b"").unwrap()
}

fn send_json(addr: SocketAddr, method: &str, path: &str, body: &str) -> Reply {
    call(
        addr,
        method,
        path,
        Some("application/json"),
        body.as_bytes(),
    )
    .unwrap()
}

fn assert_reply(what: &str, reply: &Reply, status: u16, body: &str) {
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (status, body),
        "{what}：响应不对（{reply:?}）"
    );
}

fn create_read_update_delete() {
    let server = start("info");
    let addr = server.addr;
    let created = r#"{"id":1,"title":"写第 20 章","done":false}"#;
    let reply = send_json(addr, "POST", "/todos", r#"{"title":" 写第 20 章 "}"#);
    assert_reply("创建（标题去掉首尾空白）", &reply, 201, created);
    assert!(reply.is_json(), "响应头应写明 JSON：{reply:?}");
    assert_reply("读取", &get(addr, "/todos/1"), 200, created);
    let done = r#"{"id":1,"title":"写第 20 章","done":true}"#;
    assert_reply(
        "标记完成",
        &send_json(addr, "PATCH", "/todos/1", r#"{"done":true}"#),
        200,
        done,
    );
    send_json(addr, "POST", "/todos", r#"{"title":"第二件事"}"#);
    assert_reply(
        "列出",
        &get(addr, "/todos"),
        200,
        &format!(r#"[{done},{{"id":2,"title":"第二件事","done":false}}]"#),
    );
    assert_reply(
        "删除",
        &call(addr, "DELETE", "/todos/1", None, b"").unwrap(),
        204,
        "",
    );
    assert_reply(
        "删除之后读取",
        &get(addr, "/todos/1"),
        404,
        r#"{"error":"待办事项 1 不存在"}"#,
    );
}

fn bad_input_gets_a_4xx_and_a_json_message() {
    let server = start("info");
    let addr = server.addr;
    let json = Some("application/json");
    let max_title = format!(r#"{{"title":"{}"}}"#, "长".repeat(100));
    let long_title = format!(r#"{{"title":"{}"}}"#, "长".repeat(101));
    let huge = format!(r#"{{"title":"{}"}}"#, "x".repeat(MAX_BODY));
    // （方法，路径，Content-Type，请求体，状态码，错误消息里必须有的文字）
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/todos",
            json,
            br#"{"title":""}"#.to_vec(),
            422,
            "不能为空",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{"title":" \t "}"#.to_vec(),
            422,
            "不能为空",
        ),
        (
            "POST",
            "/todos",
            json,
            long_title.into_bytes(),
            422,
            "收到 101 个",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{"title":42}"#.to_vec(),
            422,
            "invalid type",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{"title":null}"#.to_vec(),
            422,
            "invalid type",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{}"#.to_vec(),
            422,
            "missing field `title`",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{"titel":"x"}"#.to_vec(),
            422,
            "unknown field",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"[1,2]"#.to_vec(),
            422,
            "JSON 的内容不合要求",
        ),
        (
            "POST",
            "/todos",
            json,
            br#"{"title":"#.to_vec(),
            400,
            "不是合法的 JSON",
        ),
        ("POST", "/todos", json, b"".to_vec(), 400, "不是合法的 JSON"),
        (
            "POST",
            "/todos",
            json,
            b"{\"title\":\"\xff\"}".to_vec(),
            400,
            "不是合法的 JSON",
        ),
        (
            "POST",
            "/todos",
            None,
            br#"{"title":"x"}"#.to_vec(),
            415,
            "Content-Type",
        ),
        (
            "POST",
            "/todos",
            Some("text/plain"),
            br#"{"title":"x"}"#.to_vec(),
            415,
            "Content-Type",
        ),
        ("POST", "/todos", json, huge.into_bytes(), 413, "请求体太大"),
        (
            "PATCH",
            "/todos/1",
            json,
            br#"{"done":"yes"}"#.to_vec(),
            422,
            "invalid type",
        ),
        ("GET", "/todos/abc", None, vec![], 400, "不是正整数"),
        ("GET", "/todos/0", None, vec![], 400, "不是正整数"),
        ("GET", "/todos/-1", None, vec![], 400, "不是正整数"),
        (
            "GET",
            "/todos/99999999999999999999",
            None,
            vec![],
            400,
            "不是正整数",
        ),
        ("GET", "/todos/7", None, vec![], 404, "待办事项 7 不存在"),
        ("DELETE", "/todos/7", None, vec![], 404, "待办事项 7 不存在"),
        ("GET", "/nothing", None, vec![], 404, "没有这个路由"),
        ("PUT", "/todos", None, vec![], 405, "不支持 PUT 方法"),
        ("GET", "/slow/abc", None, vec![], 400, "不是毫秒数"),
    ];
    let mut failures = Vec::new();
    for (method, path, content_type, body, status, needle) in &cases {
        let what = format!("{method} {path}（请求体 {} 字节）", body.len());
        match call(addr, method, path, *content_type, body) {
            Ok(r)
                if r.status == *status
                    && r.is_json()
                    && r.body.starts_with(r#"{"error":""#)
                    && r.body.contains(needle) => {}
            Ok(r) => failures.push(format!(
                "{what}：期望 {status} 与含“{needle}”的 JSON，收到 {r:?}"
            )),
            Err(e) => failures.push(format!("{what}：{e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // 100 个字符正好合格；坏输入之后服务器照常工作。
    let reply = send_json(addr, "POST", "/todos", &max_title);
    assert_eq!(reply.status, 201, "100 个字符的标题应被接受：{reply:?}");
    assert_eq!(get(addr, "/todos/1").status, 200);
}

fn a_request_that_outlives_the_deadline_gets_408() {
    let server = start("info");
    let addr = server.addr;
    let started = Instant::now();
    let reply = get(addr, "/slow/5000");
    let elapsed = started.elapsed();
    assert_reply("超时", &reply, 408, r#"{"error":"请求处理超时"}"#);
    assert!(
        elapsed >= TIMEOUT && elapsed < TIMEOUT * 4,
        "408 应在超时（{TIMEOUT:?}）时到来，实际 {elapsed:?}"
    );
    assert!(reply.is_json());
    server.wait_for_log("status=408", 1, Duration::from_secs(5));
    // 期限之内的请求照常完成。
    assert_reply(
        "期限之内",
        &get(addr, "/slow/20"),
        200,
        r#"{"slept_ms":20}"#,
    );
}

fn requests_beyond_the_concurrency_limit_get_503_at_once() {
    const CLIENTS: usize = MAX_IN_FLIGHT + 16;
    let server = start("info");
    let addr = server.addr;
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // 先全部连上，再一起发：请求几乎同时到达。每个请求占住一个名额 900 毫秒。
                let mut s = TcpStream::connect(addr).expect("连接");
                s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
                barrier.wait();
                let sent = Instant::now();
                write_request(&mut s, addr, "GET", "/slow/900", None, b"", false).unwrap();
                let reply = read_reply(&mut s).unwrap();
                (reply, sent.elapsed())
            })
        })
        .collect();
    let replies: Vec<(Reply, Duration)> = clients.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = replies.iter().filter(|(r, _)| r.status == 200).count();
    let shed: Vec<_> = replies.iter().filter(|(r, _)| r.status == 503).collect();
    assert_eq!(
        ok + shed.len(),
        CLIENTS,
        "只应有 200 和 503：{:?}",
        replies.iter().map(|(r, _)| r.status).collect::<Vec<_>>()
    );
    assert!(
        ok >= MAX_IN_FLIGHT && !shed.is_empty(),
        "{CLIENTS} 个同时到达的请求：{ok} 个完成，{} 个被拒绝；上限是 {MAX_IN_FLIGHT}",
        shed.len()
    );
    for (reply, waited) in &shed {
        assert_eq!(reply.body, r#"{"error":"服务器正忙，请稍后再试"}"#);
        assert!(
            *waited < Duration::from_millis(900),
            "503 应当立即回复（减载，不排队），实际等了 {waited:?}"
        );
    }
}

fn concurrent_writes_are_all_kept() {
    // 正好是并发上限：再多，超出的请求就会被减载，得到 503（见上一个测试）。
    const CLIENTS: u32 = MAX_IN_FLIGHT as u32;
    let server = start("info");
    let addr = server.addr;
    let barrier = Arc::new(Barrier::new(CLIENTS as usize));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let body = format!(r#"{{"title":"客户端 {i}"}}"#);
                call(
                    addr,
                    "POST",
                    "/todos",
                    Some("application/json"),
                    body.as_bytes(),
                )
            })
        })
        .collect();
    let mut ids = Vec::new();
    for (i, t) in clients.into_iter().enumerate() {
        let reply = t.join().unwrap().unwrap();
        assert_eq!(reply.status, 201, "客户端 {i}：{reply:?}");
        assert!(reply.body.contains(&format!(r#""title":"客户端 {i}""#)));
        let id: u32 = reply.body[6..reply.body.find(',').unwrap()]
            .parse()
            .unwrap();
        ids.push(id);
    }
    ids.sort_unstable();
    assert_eq!(
        ids,
        (1..=CLIENTS).collect::<Vec<_>>(),
        "每个写入各得到一个不同的 id"
    );
    let list = get(addr, "/todos");
    assert_eq!(list.body.matches(r#""id":"#).count(), CLIENTS as usize);
}

/// 一个请求在途（正在 /slow/800 里睡）时发送信号：
/// 它得到完整的回复；空闲的长连接被关闭；之后的连接被拒绝；进程在排空期限内以 0 退出，
/// 临时数据库文件被删掉。
fn graceful_shutdown(signal: &str) {
    let mut server = start("debug");
    let addr = server.addr;
    let db_file = db_file(&server.child);
    assert!(db_file.exists(), "临时数据库应在 {}", db_file.display());

    // 一条空闲的长连接：发完一个请求、收到回复，然后什么也不发。
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    write_request(&mut idle, addr, "GET", "/todos", None, b"", true).unwrap();
    assert_eq!(read_reply(&mut idle).unwrap().status, 200);

    let busy = std::thread::spawn(move || call(addr, "GET", "/slow/800", None, b""));
    server.wait_for_log("path=/slow/800}: 开始", 1, Duration::from_secs(10));
    let sent_at = Instant::now();
    server.signal(signal);
    server.wait_for_log(&format!("收到 SIG{signal}"), 1, Duration::from_secs(10));

    let reply = busy.join().unwrap().expect("在途的请求应得到回复");
    assert_reply("在途的请求", &reply, 200, r#"{"slept_ms":800}"#);
    // 空闲的长连接被服务器关闭：读到 EOF。
    let mut rest = Vec::new();
    idle.read_to_end(&mut rest).expect("空闲连接应被正常关闭");
    assert!(rest.is_empty(), "空闲连接收到了数据");
    match TcpStream::connect(addr) {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused, "{e}"),
        // 极少见：客户端挑的本地端口恰好是这个端口，连到了自己（TCP 的同时打开）。
        Ok(s) if s.local_addr().ok() == Some(addr) => {}
        Ok(_) => panic!("收到信号之后，新的连接仍被接受"),
    }
    let elapsed = sent_at.elapsed();
    assert!(
        elapsed < DRAIN,
        "发出信号 {elapsed:?} 之后才处理完，超过了排空期限"
    );
    server.wait_exit(signal, DRAIN);
    let log = server.rest_of_log();
    assert!(
        log.iter().any(|l| l.contains("退出")),
        "退出之前应打印“退出”：\n{}",
        log.join("\n")
    );
    assert!(
        !log.iter().any(|l| l.contains("排空期限已到")),
        "不应等到排空期限：\n{}",
        log.join("\n")
    );
    assert!(!db_file.exists(), "退出后临时数据库应被删掉");
}

fn sigint_lets_the_request_in_flight_finish() {
    graceful_shutdown("INT");
}

fn sigterm_lets_the_request_in_flight_finish() {
    graceful_shutdown("TERM");
}

tests![
    create_read_update_delete,
    bad_input_gets_a_4xx_and_a_json_message,
    a_request_that_outlives_the_deadline_gets_408,
    requests_beyond_the_concurrency_limit_get_503_at_once,
    concurrent_writes_are_all_kept,
    sigint_lets_the_request_in_flight_finish,
    sigterm_lets_the_request_in_flight_finish,
];
