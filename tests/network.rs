//! 书中的回显服务器由真实的 TCP 客户端驱动：
//!
//! - 服务器绑定 `127.0.0.1:0`（测试用命令行参数告诉它；书中读者不带参数运行，默认 8080），
//!   测试从它打印的第一行读出真实端口；
//! - 200 个客户端同时连接，每个发送一段各不相同的数据，收到的回显必须逐字节相同；
//! - 另有一批客户端发送到一半就以 RST 异常断开，服务器必须照常服务后来的客户端；
//! - 最后发送 SIGINT：tokio 版本优雅退出（退出码 0），smol 版本没有处理信号，被信号终止。
//!
//! 所有连接只发往本机回环地址，循环次数和时间都有上限。

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use book_tests::run::build_examples;
use book_tests::{SERVER_LISTINGS, repo_root};
use wait_timeout::ChildExt;

const CLIENTS: usize = 200;
const ABRUPT_CLIENTS: usize = 50;
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// 启动服务器并从它的第一行输出读出地址。
fn start(name: &str) -> (Child, SocketAddr) {
    let root = repo_root();
    let exe = build_examples(&root).expect("编译示例").join(name);
    let mut child = Command::new(&exe)
        .arg("127.0.0.1:0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("无法启动 {}：{e}", exe.display()));
    let stdout = child.stdout.take().unwrap();
    // 读第一行放到别的线程里，免得服务器一直不打印时测试卡死。
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // 继续读完（并丢弃）之后的输出：管道若被关闭，服务器之后的打印会因 EPIPE 而 panic。
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(l) => l,
        Err(_) => {
            let _ = child.kill();
            panic!("{name}：10 秒内没有打印监听地址（约定：绑定后立即打印一行，以地址结尾）");
        }
    };
    let addr = line
        .trim()
        .rsplit(|c: char| c.is_whitespace() || c == '：')
        .next()
        .and_then(|s| s.parse::<SocketAddr>().ok())
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("{name}：第一行输出 `{}` 不以监听地址结尾", line.trim())
        });
    (child, addr)
}

/// 第 `i` 个客户端发送的数据：长度和内容都各不相同，错位的回显一定会被发现。
fn payload(i: usize) -> Vec<u8> {
    let len = 1 + (i * 7919) % 20_000;
    (0..len).map(|j| (i.wrapping_mul(31) + j) as u8).collect()
}

fn connect(addr: SocketAddr, i: usize) -> Result<TcpStream, String> {
    TcpStream::connect(addr).map_err(|e| format!("客户端 {i} 连接失败：{e}"))
}

fn echo_client(addr: SocketAddr, i: usize) -> Result<(), String> {
    echo_over(connect(addr, i)?, i)
}

/// 在一条已经建立的连接上发送第 `i` 段数据，核对回显，然后正常关闭。
fn echo_over(mut s: TcpStream, i: usize) -> Result<(), String> {
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    let data = payload(i);
    // 一边写一边读，避免双方的缓冲区都写满而互相等待。
    let mut reader = s.try_clone().unwrap();
    let expected = data.len();
    let read_half = std::thread::spawn(move || {
        let mut got = Vec::with_capacity(expected);
        let mut buf = [0u8; 8192];
        while got.len() < expected {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return Err(format!("读取失败：{e}")),
            }
        }
        Ok(got)
    });
    s.write_all(&data)
        .map_err(|e| format!("客户端 {i} 写入失败：{e}"))?;
    let got = read_half
        .join()
        .unwrap()
        .map_err(|e| format!("客户端 {i} {e}"))?;
    if got != data {
        return Err(format!(
            "客户端 {i}：发送 {} 字节，收回 {} 字节，内容{}",
            data.len(),
            got.len(),
            if got.len() == data.len() {
                "不同"
            } else {
                "不完整"
            }
        ));
    }
    // 正常关闭：告诉服务器不再发送，服务器应随之结束这个连接。
    s.shutdown(Shutdown::Write).ok();
    let mut rest = Vec::new();
    s.read_to_end(&mut rest)
        .map_err(|e| format!("客户端 {i} 等待关闭时出错：{e}"))?;
    if !rest.is_empty() {
        return Err(format!("客户端 {i}：关闭后又收到 {} 字节", rest.len()));
    }
    Ok(())
}

/// 异常断开：发送数据后不读回显就关闭连接。关闭时接收缓冲区里还有未读的回显，
/// 内核因此发送 RST 而不是正常的 FIN，服务器那边的读写会得到“连接被重置”。
fn abrupt_client(addr: SocketAddr, i: usize) {
    if let Ok(mut s) = TcpStream::connect(addr) {
        let _ = s.write_all(&payload(i));
        std::thread::sleep(Duration::from_millis(5));
        drop(s);
    }
}

fn exercise(name: &str, expect_clean_exit: bool) {
    assert!(
        SERVER_LISTINGS.contains(&name),
        "{name} 不在 SERVER_LISTINGS 中"
    );
    let (mut child, addr) = start(name);
    let started = Instant::now();

    // 先来一批异常断开的客户端，再来 200 个同时连接的正常客户端。
    let abrupt: Vec<_> = (0..ABRUPT_CLIENTS)
        .map(|i| std::thread::spawn(move || abrupt_client(addr, 10_000 + i)))
        .collect();
    for t in abrupt {
        t.join().unwrap();
    }
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // 先全部连上，再一起开始收发：200 条连接同时处于打开状态。
                let stream = connect(addr, i);
                barrier.wait();
                echo_over(stream?, i)
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .filter_map(|t| t.join().unwrap().err())
        .collect();
    // 异常断开之后，服务器仍然活着并能服务新的客户端。
    let after = echo_client(addr, CLIENTS + 1);

    // 请服务器退出（相当于读者按 Ctrl-C）。
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = match child.wait_timeout(Duration::from_secs(10)).unwrap() {
        Some(s) => s,
        None => {
            let _ = child.kill();
            panic!("{name}：收到 SIGINT 后 10 秒仍未退出");
        }
    };
    assert!(
        failures.is_empty(),
        "{name}：{} 个客户端失败：\n{}",
        failures.len(),
        failures.join("\n")
    );
    after.unwrap_or_else(|e| panic!("{name}：异常断开的客户端之后，服务器不能再服务：{e}"));
    if expect_clean_exit {
        assert!(
            status.success(),
            "{name}：收到 SIGINT 后应优雅退出（退出码 0），实际 {status}"
        );
    } else {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.success() || status.signal() == Some(2),
            "{name}：收到 SIGINT 后应结束，实际 {status}"
        );
    }
    eprintln!(
        "{name}：{CLIENTS} 个并发客户端、{ABRUPT_CLIENTS} 个异常断开，用时 {:?}",
        started.elapsed()
    );
}

#[test]
fn tokio_echo_server_serves_200_concurrent_clients() {
    exercise(SERVER_LISTINGS[0], true);
}

#[test]
fn async_io_echo_server_serves_200_concurrent_clients() {
    exercise(SERVER_LISTINGS[1], false);
}
