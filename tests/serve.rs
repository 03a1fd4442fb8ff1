//! `cargo xtask serve` 的开发服务器（`tests/xtask/serve.rs`）：改动被发现、重新构建、页面刷新，
//! 坏的改动被报告而上一版继续提供。
//!
//! 测试把样本书 `tests/fixtures/serve-book/` 复制到临时目录（仓库里的文件不被改动），
//! 让 xtask 在端口 0 上为它启动开发服务器，然后逐一改动 `src/`、`listings/`、`theme/` 下的文件，
//! 用页面里的脚本所用的同一个长轮询地址 `/__book_reload` 等待新的一版，再读页面核对。
//! 需要 mdBook 与 Pagefind（`cargo xtask tools` 安装；`cargo xtask test` 先安装它们再运行这个测试）。

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use book_tests::repo_root;
use wait_timeout::ChildExt;

/// 改动之后，新的一版必须在这么久之内出现（轮询 0.5 秒 + 安静 0.3 秒 + 构建样本书，远小于它）。
const BOUND: Duration = Duration::from_secs(20);
/// 第一次构建之前 xtask 还要核对工具。
const FIRST_BUILD: Duration = Duration::from_secs(60);

/// 运行中的开发服务器和它的临时书；结束时（包括测试失败时）杀掉进程、删掉目录。
struct DevServer {
    child: Child,
    book: PathBuf,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.book);
    }
}

/// `/__book_reload` 的回答。
#[derive(Debug)]
struct Status {
    generation: u64,
    attempt: u64,
    error: Option<String>,
}

impl DevServer {
    /// `name` 区分同时运行的几个测试的临时目录。
    fn start(name: &str) -> DevServer {
        let root = repo_root();
        let node_modules = root.join("tests/browser/node_modules");
        assert!(
            node_modules.join("@pagefind").is_dir(),
            "{} 不存在：开发服务器的测试需要 Pagefind。请先运行 `cargo xtask tools`。",
            node_modules.display()
        );
        let book = std::env::temp_dir().join(format!("book-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&book);
        copy_dir(&root.join("tests/fixtures/serve-book"), &book);
        // build_site 在书的根目录下找 tests/browser/node_modules（Pagefind）。
        std::fs::create_dir_all(book.join("tests/browser")).unwrap();
        std::os::unix::fs::symlink(&node_modules, book.join("tests/browser/node_modules")).unwrap();

        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("serve")
            .arg("0")
            .arg(&book)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("启动 xtask serve");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = DevServer {
            child,
            book,
            addr: String::new(),
            log,
        };
        let first = rx.recv_timeout(FIRST_BUILD).unwrap_or_else(|_| {
            panic!(
                "xtask serve 在 {FIRST_BUILD:?} 内没有打印地址。它的输出：\n{}",
                server.log()
            )
        });
        server.addr = first
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("xtask serve 的第一行应当是地址：{first}"))
            .to_string();
        server
    }

    /// 这次构建应当成功，成为第 `generation` 版。
    fn expect_version(&self, status: Status, generation: u64) {
        assert!(
            status.generation == generation && status.error.is_none(),
            "这次改动之后应当成功构建出第 {generation} 版，实际是 {status:?}。\
             构建在 tests/xtask/serve.rs 的 rebuild，服务器输出：\n{}",
            self.log()
        );
    }

    /// 改动书里的一个文件（不等待）。
    fn write(&self, rel: &str, change: impl FnOnce(&str) -> String) {
        let path = self.book.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, change(&text)).unwrap();
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// 发一个 GET 请求，返回状态码和正文。
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("连接开发服务器");
        stream
            .set_read_timeout(Some(Duration::from_secs(40)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut reply = String::new();
        stream
            .read_to_string(&mut reply)
            .unwrap_or_else(|e| panic!("读 {path} 的回应：{e}"));
        let (head, body) = reply
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{path} 的回应没有头部：{reply}"));
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{path} 的状态行不对：{head}"));
        (code, body.to_string())
    }

    fn page(&self, path: &str) -> String {
        let (code, body) = self.get(path);
        assert_eq!(code, 200, "{path} 应当是 200。服务器输出：\n{}", self.log());
        body
    }

    /// 不等待，读当前状态。
    fn status(&self) -> Status {
        parse_status(&self.get("/__book_reload").1)
    }

    /// 用页面脚本的长轮询等到第 `after` 次之后的一次构建结束，限时 `bound`。
    fn next_build(&self, after: u64, bound: Duration) -> Status {
        let started = Instant::now();
        loop {
            let status = parse_status(&self.get(&format!("/__book_reload?attempt={after}")).1);
            if status.attempt > after {
                return status;
            }
            assert!(
                started.elapsed() < bound,
                "改动之后 {bound:?} 内没有新的构建（仍是第 {after} 次）。tests/xtask/serve.rs 的轮询或构建出了问题，服务器输出：\n{}",
                self.log()
            );
        }
    }

    /// 改动一个文件，等待并返回下一次构建的结果和用时。
    fn edit(&self, rel: &str, change: impl FnOnce(&str) -> String) -> (Status, Duration) {
        let before = self.status().attempt;
        self.write(rel, change);
        let started = Instant::now();
        let status = self.next_build(before, BOUND);
        let elapsed = started.elapsed();
        eprintln!(
            "改动 {rel} 之后 {elapsed:.2?} 得到第 {} 次构建",
            status.attempt
        );
        (status, elapsed)
    }
}

#[test]
fn dev_server_rebuilds_reloads_and_keeps_the_last_good_build() {
    let server = DevServer::start("rebuild");

    // 第一次构建。
    let first = server.next_build(0, FIRST_BUILD);
    assert_eq!(
        (first.generation, first.error.as_deref()),
        (1, None),
        "第一次构建应当成功。服务器输出：\n{}",
        server.log()
    );
    let page = server.page("/chapter.html");
    assert!(page.contains("这是开发服务器样本书的第一章"), "{page}");
    assert!(page.contains("样本输出：第一版"), "{page}");
    assert!(
        page.contains("/__book_reload"),
        "开发服务器发出的页面里应当有刷新脚本（tests/xtask/serve.rs 的 inject）"
    );
    assert!(
        server.page("/").contains("/__book_reload"),
        "目录的 index.html 也应当有刷新脚本"
    );
    // 刷新脚本只由服务器插入，构建出的文件里没有：发布的网站与测试看到的页面不受影响。
    let mut built = Vec::new();
    collect_files(&server.book.join("target/serve"), &mut built);
    assert!(built.iter().any(|p| p.ends_with("chapter.html")));
    for file in built
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.contains("__book_reload"),
            "{} 里有刷新脚本：它应当只在服务器发出页面时插入，不写进构建结果。",
            file.display()
        );
    }
    let (code, _) = server.get("/no-such-page.html");
    assert_eq!(code, 404);
    let (code, _) = server.get("/../../etc/passwd");
    assert_eq!(code, 404, "不能读到构建目录之外的文件");

    // (a)(b) 章节、被引入的文件、主题：每一处改动都带来新的一版，页面显示改动。
    let (status, _) = server.edit("src/chapter.md", |t| {
        format!("{t}\n追加的一段：开发服务器重新构建了这一章。\n")
    });
    server.expect_version(status, 2);
    assert!(
        server
            .page("/chapter.html")
            .contains("追加的一段：开发服务器重新构建了这一章。")
    );

    let (status, _) = server.edit("listings/sample.txt", |_| {
        "样本输出：第二版，改过了\n".into()
    });
    server.expect_version(status, 3);
    let page = server.page("/chapter.html");
    assert!(page.contains("样本输出：第二版，改过了"), "{page}");

    let (status, _) = server.edit("theme/sample.css", |t| {
        format!("{t}h1 {{\n    letter-spacing: 0.1em;\n}}\n")
    });
    server.expect_version(status, 4);
    // mdBook 0.5 给样式文件名加上内容的散列：从页面里找到它。
    let page = server.page("/chapter.html");
    let css = page
        .split("href=\"theme/sample")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("页面没有引用 theme/sample*.css：{page}"));
    assert!(
        server
            .page(&format!("/theme/sample{css}"))
            .contains("letter-spacing")
    );

    // 编辑器的临时文件、target/ 下的文件不算改动。
    for rel in [
        "src/.chapter.md.swp",
        "src/chapter.md~",
        "listings/target/x.rs",
    ] {
        let path = server.book.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "临时").unwrap();
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        server.status().attempt,
        4,
        "编辑器的临时文件或 target/ 下的文件触发了重新构建（tests/xtask/serve.rs 的 ignored）。服务器输出：\n{}",
        server.log()
    );

    // (c) 坏的改动：mdBook 只记一行 ERROR。报告它，第 4 版继续提供。
    let (status, _) = server.edit("src/chapter.md", |t| {
        format!("{t}\n{{{{#include ../listings/missing.txt}}}}\n")
    });
    assert_eq!(status.generation, 4, "坏的构建不应成为新的一版");
    let error = status.error.expect("坏的改动应当在 /__book_reload 里报告");
    assert!(
        error.contains("missing.txt") && error.contains("src/chapter.md:"),
        "报错应当写出缺失的文件和写了引入的章节与行号：\n{error}"
    );
    let page = server.page("/chapter.html");
    assert!(
        page.contains("追加的一段") && page.contains("样本输出：第二版，改过了"),
        "构建失败后应当继续提供上一版：\n{page}"
    );
    assert!(!page.contains("missing.txt"), "坏的一版不应被提供");
    let log = server.log();
    assert!(
        log.contains("构建失败") && log.contains("仍在提供上一次成功的构建（第 4 版）"),
        "终端里应当报告构建失败和仍在提供的版本：\n{log}"
    );

    // 改回来之后恢复正常，报错清空。
    let (status, _) = server.edit("src/chapter.md", |t| {
        t.replace("{{#include ../listings/missing.txt}}", "")
    });
    server.expect_version(status, 5);
}

/// 在真实的 Chromium 里打开页面：改动之后页面自己刷新，构建失败时页面不刷新、顶部显示报错。
/// 浏览器一侧是 `tests/browser/serve-reload.mjs`（playwright-core 驱动 Debian 的 Chromium）。
#[test]
fn open_page_reloads_itself_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    assert!(
        chromium.is_file(),
        "找不到 /usr/bin/chromium。请运行 `cargo xtask tools` 安装 Debian 的 chromium。"
    );
    let server = DevServer::start("chromium");
    let first = server.next_build(0, FIRST_BUILD);
    assert_eq!(
        first.generation,
        1,
        "第一次构建应当成功：\n{}",
        server.log()
    );

    let script = repo_root().join("tests/browser/serve-reload.mjs");
    let mut node = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}/chapter.html", server.addr))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("启动 node（需要 Node.js，`cargo xtask tools` 会检查）");
    let mut to_node = node.stdin.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = node.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut ask = |command: &str| -> String {
        if !command.is_empty() {
            writeln!(to_node, "{command}").unwrap();
        }
        rx.recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| format!("fail: {} 在 60 秒内没有回答", script.display()))
    };
    let outcome = (|| {
        let ready = ask("");
        if ready != "ready" {
            return Err(format!("打开页面：{ready}"));
        }
        server.write("src/chapter.md", |t| {
            format!("{t}\n浏览器里看到的新段落。\n")
        });
        let reloaded = ask("reload 浏览器里看到的新段落。");
        if reloaded != "ok" {
            return Err(format!("改动章节之后：{reloaded}"));
        }
        server.write("src/chapter.md", |t| {
            format!("{t}\n{{{{#include ../listings/missing.txt}}}}\n")
        });
        let reported = ask("error missing.txt");
        if reported != "ok" {
            return Err(format!("坏的改动之后：{reported}"));
        }
        Ok(())
    })();
    // 关上标准输入，脚本就关闭浏览器并退出；不退出才杀掉它。
    drop(to_node);
    if node
        .wait_timeout(Duration::from_secs(10))
        .ok()
        .flatten()
        .is_none()
    {
        let _ = node.kill();
        let _ = node.wait();
    }
    if let Err(problem) = outcome {
        panic!(
            "{problem}\n页面里的刷新脚本在 tests/xtask/serve.rs 的 inject，浏览器一侧在 {}。服务器输出：\n{}",
            script.display(),
            server.log()
        );
    }
}

fn parse_status(json: &str) -> Status {
    let number = |key: &str| -> u64 {
        json.split(&format!("\"{key}\":"))
            .nth(1)
            .and_then(|s| s.split([',', '}']).next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("/__book_reload 的回答里没有 {key}：{json}"))
    };
    let error = json
        .split("\"error\":")
        .nth(1)
        .unwrap_or_else(|| panic!("/__book_reload 的回答里没有 error：{json}"));
    let error = if error.starts_with("null") {
        None
    } else {
        Some(unescape(error.trim_end_matches('}')))
    };
    Status {
        generation: number("generation"),
        attempt: number("attempt"),
        error,
    }
}

/// 还原 JSON 字符串（服务器只转义引号、反斜杠和控制字符）。
fn unescape(quoted: &str) -> String {
    let inner = quoted.trim().trim_matches('"');
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_files(&p, out);
        } else {
            out.push(p);
        }
    }
}
