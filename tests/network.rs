//! 书中的回显服务器由真实的 TCP 客户端驱动：
//!
//! - 服务器绑定 `127.0.0.1:0`（测试用命令行参数告诉它；书中读者不带参数运行，默认 8080），
//!   测试从它打印的第一行读出真实端口；
//! - 200 个客户端同时连接，每个发送一段各不相同的数据，收到的回显必须逐字节相同；
//! - 另有一批客户端发送到一半就以 RST 异常断开，服务器必须照常服务后来的客户端；
//! - 最后发送 SIGINT（读者按 Ctrl-C）：两个服务器都必须停止接受连接，以退出码 0 结束；
//!   async-io 版本另外还要在收到 SIGTERM 时同样退出。
//!
//! 第 16 章的优雅退出服务器（示例 16-2）另有测试（见 [`graceful_shutdown`]）：请求在途时
//! 发送 SIGINT 或 SIGTERM，在途的请求必须得到回复，之后不再接受连接，进程在排空期限内
//! 以退出码 0 结束。测试读它的日志（第一行之后的输出）来判断它走到了哪一步。
//!
//! 服务器启动时 SIGINT 和 SIGTERM 总是处于“忽略”状态（见 [`start`]）：脚本里用 `&` 放到
//! 后台的命令就是这样（非交互的 shell 让它们忽略 SIGINT），CI 正是这样运行测试的。服务器
//! 必须自己登记信号处理，测试的结果因此不取决于测试本身是怎样启动的。
//!
//! 所有连接只发往本机回环地址，循环次数和时间都有上限。

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use book_tests::SERVER_LISTINGS;
use book_tests::server::{self, Server};

const CLIENTS: usize = 200;
const ABRUPT_CLIENTS: usize = 50;
const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// 启动服务器示例，从它的第一行输出读出地址（启动时 SIGINT、SIGTERM 被设为忽略，见 [`server::start`]）。
fn start(name: &'static str) -> Server {
    server::start(name, &[], "")
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

fn exercise(name: &'static str) {
    assert!(
        SERVER_LISTINGS.contains(&name),
        "{name} 不在 SERVER_LISTINGS 中"
    );
    let mut server = start(name);
    let addr = server.addr;

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
    server.stop_with("INT");
    assert!(
        failures.is_empty(),
        "{name}：{} 个客户端失败：\n{}",
        failures.len(),
        failures.join("\n")
    );
    after.unwrap_or_else(|e| panic!("{name}：异常断开的客户端之后，服务器不能再服务：{e}"));
}

fn tokio_echo_server_serves_200_concurrent_clients() {
    exercise(SERVER_LISTINGS[0]);
}

fn async_io_echo_server_serves_200_concurrent_clients() {
    exercise(SERVER_LISTINGS[1]);
}

/// 第 10 章说 async-io 版本对 SIGTERM（`kill` 的默认信号，服务管理器停止服务时发送）
/// 也一样停止接受连接、以退出码 0 结束。
fn async_io_echo_server_stops_on_sigterm() {
    let mut server = start(SERVER_LISTINGS[1]);
    echo_client(server.addr, 1).unwrap_or_else(|e| panic!("{}：{e}", server.name));
    server.stop_with("TERM");
}

/// 第 16 章的服务器（示例 16-2）：每个请求处理 300 ms。请求在途时发送真实的信号：
///
/// - 在途的请求照常得到回复，之后服务器关闭这条连接，不再读下一个请求；
/// - 空闲的连接（连上了，什么也没发）被直接关闭；
/// - 服务器宣布停止接受（它先关闭监听套接字，再打印这一行）之后，新的连接被操作系统拒绝；
/// - 进程在排空期限（5 秒）之内以退出码 0 结束。
fn graceful_shutdown(signal: &str) {
    const BUSY: usize = 20;
    const DRAIN: Duration = Duration::from_secs(5);
    let name = SERVER_LISTINGS[2];
    let mut server = start(name);
    let addr = server.addr;

    let mut idle = connect(addr, 0).unwrap();
    idle.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    // 先全部连上，再一口气发出请求：它们几乎同时开始，同时在途。
    let mut busy: Vec<TcpStream> = (0..BUSY).map(|i| connect(addr, i).unwrap()).collect();
    for (i, s) in busy.iter_mut().enumerate() {
        s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        s.write_all(format!("请求 {i}\n").as_bytes()).unwrap();
    }
    let limit = Duration::from_secs(10);
    let mut log = server.wait_for_log("收到请求", BUSY, limit);

    let sent_at = Instant::now();
    server.signal(signal);
    log.extend(server.wait_for_log("停止接受新连接", 1, limit));

    // 信号到来时，请求必须都还在途：日志里“收到 SIG…”之前不能有“已回复”。
    let at_signal = log
        .iter()
        .position(|l| l.contains(&format!("收到 SIG{signal}")))
        .unwrap_or_else(|| panic!("{name}：日志里没有“收到 SIG{signal}”：\n{}", log.join("\n")));
    let answered_before = log[..at_signal]
        .iter()
        .filter(|l| l.contains("已回复"))
        .count();
    assert_eq!(
        answered_before,
        0,
        "{name}：发信号之前已经有 {answered_before} 个请求处理完了（每个要 300 ms），\
         这次测试没有测到“在途的请求”：机器太忙？\n{}",
        log.join("\n")
    );

    // 停止接受之后的新连接：监听套接字已经关闭，操作系统直接拒绝。
    match TcpStream::connect(addr) {
        Err(e) => assert_eq!(
            e.kind(),
            std::io::ErrorKind::ConnectionRefused,
            "{name}：停止接受之后的连接应被拒绝，实际是：{e}"
        ),
        // 极少见：内核给客户端挑的本地端口恰好就是这个端口，套接字连到了自己身上
        // （TCP 的同时打开）。这不是服务器接受的连接。
        Ok(s) if s.local_addr().ok() == Some(addr) => {}
        Ok(_) => panic!("{name}：宣布停止接受新连接之后，新的连接仍被接受"),
    }

    // 在途的请求各自收到回复，然后服务器关闭连接。
    for (i, s) in busy.iter_mut().enumerate() {
        let mut got = String::new();
        s.read_to_string(&mut got)
            .unwrap_or_else(|e| panic!("{name}：在途的请求 {i} 读回复失败：{e}"));
        assert_eq!(got, format!("完成：请求 {i}\n"), "{name}：在途的请求 {i}");
    }
    // 空闲的连接被关闭，什么也没收到。
    let mut got = Vec::new();
    idle.read_to_end(&mut got)
        .unwrap_or_else(|e| panic!("{name}：空闲连接应被正常关闭：{e}"));
    assert!(got.is_empty(), "{name}：空闲连接收到了数据");

    // 空闲连接要在信号到来时就关闭，不能拖到排空期限之后。
    let elapsed = sent_at.elapsed();
    assert!(
        elapsed < DRAIN,
        "{name}：发出信号 {elapsed:?} 之后连接才全部关闭，超过了排空期限 {DRAIN:?}"
    );
    server.wait_exit(signal, DRAIN - elapsed);
}

fn graceful_server_drains_in_flight_requests_on_sigint() {
    graceful_shutdown("INT");
}

fn graceful_server_drains_in_flight_requests_on_sigterm() {
    graceful_shutdown("TERM");
}

tests![
    tokio_echo_server_serves_200_concurrent_clients,
    async_io_echo_server_serves_200_concurrent_clients,
    async_io_echo_server_stops_on_sigterm,
    graceful_server_drains_in_flight_requests_on_sigint,
    graceful_server_drains_in_flight_requests_on_sigterm,
];
