//! `cargo xtask serve` 的开发服务器：监视、重新构建、让打开的页面自己刷新。
//!
//! - **监视**：每 500 毫秒扫描一次 `src/`、`listings/`、`theme/` 下每个文件的修改时间和长度，
//!   以及 `book.toml`（不进入 `target/`、`node_modules/` 和以 `.` 开头的目录；编辑器的临时文件
//!   如 `.x.swp`、`x~`、`#x#`、`4913` 不算改动）。用轮询而不是监视器 crate：全书约四百个文件，
//!   扫描一次的耗时在启动时打印出来（毫秒级），不必为此增加依赖。
//! - **重新构建**：发现改动后等到连续 300 毫秒没有新的改动，再用与 `cargo xtask build` 相同的
//!   [`site::build_site`]（mdBook 加 Pagefind 中文搜索索引）构建到 `target/serve/<次数>/`。
//!   构建成功才换成新的一版；失败时打印报错（出错的文件和怎么办），继续提供上一次成功的构建，不退出。
//! - **刷新**：只在这个服务器发出的 HTML 里，在 `</body>` 前插入一小段脚本（构建出的文件里没有，
//!   发布的网站和测试看到的页面不受影响）。脚本长轮询 `/__book_reload?attempt=N`：构建的次数
//!   变了就立即回答 `{"generation":G,"attempt":N,"error":…}`，否则最多等 25 秒。版本 G 与页面
//!   不同时 `location.reload()`；构建失败时在页面顶部显示报错。
//!
//! 服务器只用标准库：每个连接一个线程，回答后关闭连接。`tests/serve.rs` 用样本书
//! `tests/fixtures/serve-book/` 的副本核对这些行为。

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::site;

/// 两次扫描之间的间隔。
const POLL: Duration = Duration::from_millis(500);
/// 发现改动之后，要等这么久没有新的改动才开始构建。
const QUIET: Duration = Duration::from_millis(300);
/// 长轮询最多等这么久就回答（浏览器和代理不会因为太久没有回应而断开）。
const LONG_POLL: Duration = Duration::from_secs(25);
/// 被监视的目录（相对书的根目录），以及 `book.toml`。
const WATCHED_DIRS: &[&str] = &["src", "listings", "theme"];
/// 页面刷新脚本请求的地址。
const RELOAD_PATH: &str = "/__book_reload";

/// 构建的状态：所有连接线程共享，构建结束时通知等待中的长轮询。
#[derive(Default)]
struct State {
    /// 正在提供的版本：第几次成功的构建，0 表示还没有成功过。
    generation: u64,
    /// 已经结束的构建次数（成功和失败都算）。
    attempt: u64,
    /// 正在提供的目录。
    dir: Option<PathBuf>,
    /// 最近一次构建的报错；成功后清空。
    error: Option<String>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// 构建 `book_root` 下的书并在 `127.0.0.1:port` 提供，改动后自动重新构建，直到按 Ctrl-C。
/// `port` 为 0 时由系统分配；实际地址打印在标准输出的第一行。
pub fn run(book_root: &Path, mdbook: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!("无法在端口 {port} 上启动本地服务器（{e}）。端口可能已被占用：换一个端口，例如 `cargo xtask serve 3001`。")
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let out_root = book_root.join("target").join("serve");
    // 上一次运行留下的构建没有用了。
    let _ = std::fs::remove_dir_all(&out_root);

    let shared: Shared = Arc::default();
    let server = Arc::clone(&shared);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = Arc::clone(&server);
            std::thread::spawn(move || handle(stream, &shared));
        }
    });
    println!("本书在 http://{addr}/ 提供（按 Ctrl-C 停止）");
    let _ = std::io::stdout().flush();

    let started = Instant::now();
    let mut seen = snapshot(book_root);
    let scan = started.elapsed();
    eprintln!(
        "监视 {} 个文件（{}、book.toml），扫描一次用时 {:.1} 毫秒，每 {} 毫秒扫描一次。",
        seen.len(),
        WATCHED_DIRS
            .iter()
            .map(|d| format!("{d}/"))
            .collect::<Vec<_>>()
            .join("、"),
        scan.as_secs_f64() * 1000.0,
        POLL.as_millis()
    );
    rebuild(book_root, mdbook, &out_root, &shared);
    loop {
        std::thread::sleep(POLL);
        let now = snapshot(book_root);
        if now == seen {
            continue;
        }
        // 等到连续 QUIET 没有新的改动：保存一次常常写好几个文件。
        let mut latest = now;
        loop {
            std::thread::sleep(QUIET);
            let again = snapshot(book_root);
            if again == latest {
                break;
            }
            latest = again;
        }
        let changed = changed_files(book_root, &seen, &latest);
        // 构建开始前记下状态：构建期间的改动在下一轮被发现。
        seen = latest;
        eprintln!("\n==> 检测到改动：{changed}，重新构建");
        rebuild(book_root, mdbook, &out_root, &shared);
    }
}

/// 构建一次；成功就换成新的一版，失败就保留上一版并报告。
fn rebuild(book_root: &Path, mdbook: &Path, out_root: &Path, shared: &Shared) {
    let attempt = shared.0.lock().unwrap().attempt + 1;
    let out = out_root.join(attempt.to_string());
    let started = Instant::now();
    let result = site::build_site(book_root, mdbook, &out, "/");
    let elapsed = started.elapsed().as_secs_f64();
    let (lock, wake) = &**shared;
    let mut state = lock.lock().unwrap();
    state.attempt = attempt;
    match result {
        Ok(()) => {
            state.generation += 1;
            state.dir = Some(out.clone());
            state.error = None;
            eprintln!(
                "\n构建完成（第 {} 版，用时 {elapsed:.1} 秒）。打开的页面会自己刷新。",
                state.generation
            );
            // 只留下这一版和上一版：还在读上一版文件的请求不会落空。
            remove_old_builds(out_root, &out, attempt);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&out);
            let report = format!("{e}{}", locate_includes(book_root, &e));
            let kept = match state.generation {
                0 => "还没有成功的构建，页面显示这条报错".to_string(),
                g => format!("仍在提供上一次成功的构建（第 {g} 版），页面顶部显示这条报错"),
            };
            eprintln!(
                "\n构建失败（用时 {elapsed:.1} 秒）：{report}\n{kept}。修正后保存，会自动重新构建。"
            );
            state.error = Some(report);
        }
    }
    wake.notify_all();
}

fn remove_old_builds(out_root: &Path, current: &Path, attempt: u64) {
    let Ok(entries) = std::fs::read_dir(out_root) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let older_than_previous = e
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n + 1 < attempt);
        if path != current && older_than_previous {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// mdBook 报告缺失的引入时只写出引入指令，不写是哪一章：在 `src/` 里找出写了它的文件和行号。
fn locate_includes(book_root: &Path, error: &str) -> String {
    let mut found = Vec::new();
    for directive in error
        .split("Error updating \"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        for (path, _) in snapshot(book_root) {
            if path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                if line.contains(directive) {
                    let rel = path.strip_prefix(book_root).unwrap_or(&path);
                    found.push(format!("{}:{}：{directive}", rel.to_string_lossy(), i + 1));
                }
            }
        }
    }
    if found.is_empty() {
        String::new()
    } else {
        format!(
            "\n出错的引入在：\n{}\n请改正引入的路径或锚点，或者补上被引入的文件。",
            found.join("\n")
        )
    }
}

// ---------------------------------------------------------------------------
// 监视
// ---------------------------------------------------------------------------

/// 每个被监视文件的修改时间和长度。
type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

fn snapshot(book_root: &Path) -> Snapshot {
    let mut files = Snapshot::new();
    for dir in WATCHED_DIRS {
        scan(&book_root.join(dir), &mut files);
    }
    let toml = book_root.join("book.toml");
    if let Ok(m) = std::fs::metadata(&toml) {
        files.insert(toml, (m.modified().ok(), m.len()));
    }
    files
}

fn scan(dir: &Path, files: &mut Snapshot) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if ignored(&name) {
            continue;
        }
        let path = e.path();
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if name != "target" && name != "node_modules" {
                scan(&path, files);
            }
        } else {
            files.insert(path, (meta.modified().ok(), meta.len()));
        }
    }
}

/// 不算改动的文件：隐藏文件与目录、编辑器的备份和临时文件。
fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|x| name.ends_with(x))
}

/// 改动了哪些文件，例如 `src/ch01.md 等 3 个文件`。
fn changed_files(book_root: &Path, before: &Snapshot, after: &Snapshot) -> String {
    let mut changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(v))
        .map(|(p, _)| p)
        .collect();
    changed.extend(before.keys().filter(|p| !after.contains_key(*p)));
    let Some(first) = changed.first() else {
        return "（文件又改回了原样）".into();
    };
    let first = first
        .strip_prefix(book_root)
        .unwrap_or(first)
        .to_string_lossy();
    match changed.len() {
        1 => first.into_owned(),
        n => format!("{first} 等 {n} 个文件"),
    }
}

// ---------------------------------------------------------------------------
// 服务器
// ---------------------------------------------------------------------------

fn handle(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((method, target)) = read_request(&stream) else {
        return;
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"405",
            head,
        );
    }
    if path == RELOAD_PATH {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("attempt="))
            .and_then(|n| n.parse::<u64>().ok());
        let body = wait_for_build(shared, since);
        return respond(
            &mut stream,
            "200 OK",
            "application/json",
            body.as_bytes(),
            head,
        );
    }
    let (generation, dir, error) = {
        let state = shared.0.lock().unwrap();
        (state.generation, state.dir.clone(), state.error.clone())
    };
    let Some(dir) = dir else {
        // 还没有成功的构建：显示正在构建或报错，构建成功后页面自己刷新。
        let message = error.unwrap_or_else(|| "正在构建本书……".into());
        let page = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>构建本书</title></head>\
             <body><pre>{}</pre></body></html>",
            escape_html(&message)
        );
        let page = inject(&page, generation);
        return respond(
            &mut stream,
            "503 Service Unavailable",
            "text/html; charset=utf-8",
            page.as_bytes(),
            head,
        );
    };
    let (status, file) = match resolve(&dir, &percent_decode(path)) {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", dir.join("404.html")),
    };
    let Ok(body) = std::fs::read(&file) else {
        return respond(&mut stream, "404 Not Found", "text/plain", b"404", head);
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let page = inject(&String::from_utf8_lossy(&body), generation);
        respond(&mut stream, status, kind, page.as_bytes(), head);
    } else {
        respond(&mut stream, status, kind, &body, head);
    }
}

/// 读请求行和请求头，返回方法和目标。
fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    // 读完请求头（没有请求体：只接受 GET 与 HEAD）。
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
    }
    Some((method, target))
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8], head: bool) {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(header.as_bytes());
    if !head {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
}

/// 等到构建次数不再是 `since`（最多 [`LONG_POLL`]），返回当时的状态。
/// 没有 `since` 时立即返回：页面刚打开时先问一次，看自己是不是已经过时。
fn wait_for_build(shared: &Shared, since: Option<u64>) -> String {
    let (lock, wake) = &**shared;
    let state = lock.lock().unwrap();
    let state = match since {
        Some(n) => {
            wake.wait_timeout_while(state, LONG_POLL, |s| s.attempt == n)
                .unwrap()
                .0
        }
        None => state,
    };
    format!(
        "{{\"generation\":{},\"attempt\":{},\"error\":{}}}",
        state.generation,
        state.attempt,
        state.error.as_deref().map_or("null".into(), json_string)
    )
}

/// 把 URL 路径对应到构建目录里的文件；不允许离开这个目录。
fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path.trim_start_matches('/'));
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 与 `tests/browser/server.mjs` 相同的类型表。
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|x| x.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// 在 `</body>` 前插入刷新脚本；`generation` 是这个页面所属的版本。
fn inject(html: &str, generation: u64) -> String {
    let script = format!(
        r#"<script>
// 只由 cargo xtask serve 插入（tests/xtask/serve.rs）：本书重新构建后刷新页面，构建失败时显示报错。
(() => {{
  const generation = {generation};
  let attempt = "";
  const show = (error) => {{
    let bar = document.getElementById("__book_reload_error");
    if (!error) return bar && bar.remove();
    if (!bar) {{
      bar = document.createElement("pre");
      bar.id = "__book_reload_error";
      bar.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;margin:0;max-height:50vh;overflow:auto;padding:1em;white-space:pre-wrap;background:#fff0f0;color:#900;border-bottom:2px solid #900";
      document.body.prepend(bar);
    }}
    bar.textContent = "重新构建失败，下面仍是上一次成功的构建。修正后保存，页面会自己刷新。\n\n" + error;
  }};
  const poll = () => fetch("{RELOAD_PATH}?attempt=" + attempt, {{ cache: "no-store" }})
    .then((r) => r.json())
    .then((s) => {{
      if (s.generation !== generation) return location.reload();
      attempt = s.attempt;
      show(s.error);
      poll();
    }})
    .catch(() => setTimeout(poll, 2000));
  poll();
}})();
</script>
"#
    );
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
