//! 本书的网站：安装工具、构建（mdBook + Pagefind 中文搜索索引；本地浏览见 `serve.rs`）、
//! 中文排版检查与浏览器测试。
//!
//! 用到的工具都固定版本，已经装好的不再安装：
//! - Debian 的 `chromium` 与 `fonts-noto-cjk`（浏览器测试；没有中文字体时汉字显示成方框）；
//! - Debian 的 `redis-tools`（`tests/redis.rs` 用其中的 redis-cli、redis-benchmark 驱动第 19 章的
//!   迷你 Redis）；`redis-server` 只在 `cargo xtask bench` 时安装（见 [`BENCH_APT_PACKAGES`]）；
//! - Debian 的 `wrk`（`cargo xtask bench` 用它给第 20 章的 HTTP 服务施加负载）；
//! - `tests/browser/package.json` 与已提交的 `package-lock.json` 里的 npm 包：
//!   Pagefind 扩展版（用 ICU 切分中文）、KaTeX（构建时把公式渲染成 MathML）、
//!   AutoCorrect（中文排版检查）、playwright-core（驱动 Debian 的 Chromium，不下载浏览器）。
//!
//! 只用标准库；外部工具都以子进程运行，失败时说明是哪一步、该怎么办。

use std::path::{Path, PathBuf};
use std::process::Command;

/// 固定的 Pagefind 版本（与 `tests/browser/package-lock.json` 一致）。
const PAGEFIND_VERSION: &str = "1.6.0";
/// Node.js 的最低主版本（`node --test`、`import()` 与 playwright-core 的要求）。
const NODE_MIN_MAJOR: u32 = 20;
/// 浏览器测试把书放在这个子路径下提供，模拟 GitHub Pages 之类的静态托管。
pub const TEST_SUB_PATH: &str = "/rust-async-book/";
/// 不进入搜索索引的页面：打印版（整本书拼在一起）、404 页、目录框架。
const NOT_INDEXED: &[&str] = &["print.html", "404.html", "toc.html"];
/// 测试需要的 Debian 包：（包名，用途）。
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "无头浏览器"),
    ("fonts-noto-cjk", "中文字体，没有它汉字显示成方框"),
    (
        "redis-tools",
        "redis-cli 与 redis-benchmark，tests/redis.rs 用它们驱动第 19 章的迷你 Redis",
    ),
    (
        "wrk",
        "HTTP 压测工具，cargo xtask bench 用它测量第 20 章的服务",
    ),
    (
        "fonts-wqy-microhei",
        "PDF 的中文字体：TrueType 轮廓，Chromium 按名字嵌入（Noto CJK 会变成无名的 Type 3 字体）",
    ),
    ("pandoc", "把本书打包成 EPUB（tests/xtask/offline.rs）"),
    (
        "poppler-utils",
        "pdffonts、pdftotext、pdfinfo、pdftohtml：核对 PDF 的字体、文字、页数和书签",
    ),
    ("epubcheck", "核对 EPUB（要求零错误零警告）"),
    ("unzip", "从 EPUB 里取出目录 nav.xhtml"),
];
/// 只有 `cargo xtask bench` 需要的 Debian 包。redis-server 不放进测试的工具：
/// 在用 systemd 的机器上，安装它会顺带登记并启动一个常驻的 Redis 服务。
pub const BENCH_APT_PACKAGES: &[(&str, &str)] = &[
    ("redis-tools", "redis-benchmark，第 19 章的基准测试用它测量"),
    ("wrk", "第 20 章的基准测试用它给 HTTP 服务施加负载"),
    (
        "redis-server",
        "第 19 章的基准测试拿迷你 Redis 与它比较（测量时另起一个实例）",
    ),
];

/// 网站工具与浏览器测试所在的目录（Node.js 脚本和 node_modules）。
pub fn browser_dir(root: &Path) -> PathBuf {
    root.join("tests").join("browser")
}

/// 运行命令并等待；失败时报告是哪一步。
pub fn run(name: &str, cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("{name}：无法启动 {cmd:?}：{e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name}失败（{status}）：{cmd:?}"))
    }
}

/// 运行命令并分别收集标准输出与标准错误：（是否成功，标准输出，标准错误）。
/// 命令无法启动时多半是工具没装，报错提示运行 `cargo xtask tools`。
pub fn run_output(name: &str, cmd: &mut Command) -> Result<(bool, String, String), String> {
    let out = cmd.output().map_err(|e| {
        format!("{name}：无法启动 {cmd:?}：{e}。请运行 `cargo xtask tools` 安装需要的工具。")
    })?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// 运行命令并收集标准输出与标准错误（合在一起）。
fn run_captured(name: &str, cmd: &mut Command) -> Result<(bool, String), String> {
    let (ok, stdout, stderr) = run_output(name, cmd)?;
    Ok((ok, stdout + &stderr))
}

// ---------------------------------------------------------------------------
// 安装工具
// ---------------------------------------------------------------------------

/// 安装网站与浏览器测试需要的工具（缺什么装什么）。
pub fn install_tools(root: &Path) -> Result<(), String> {
    check_node()?;
    install_apt_packages(APT_PACKAGES)?;
    install_npm_packages(root)?;
    pagefind_binary(root).map(|_| ())
}

fn check_node() -> Result<(), String> {
    let out = Command::new("node").arg("--version").output().map_err(|e| {
        format!(
            "找不到 Node.js（{e}）。本书的搜索索引、公式渲染和浏览器测试需要 Node.js {NODE_MIN_MAJOR} 或更新的版本：\
             请用系统的包管理器安装（Debian：`apt-get install nodejs npm`）。"
        )
    })?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < NODE_MIN_MAJOR {
        return Err(format!(
            "Node.js 版本是 {version}，需要 {NODE_MIN_MAJOR} 或更新的版本。"
        ));
    }
    Ok(())
}

fn apt_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn install_apt_packages(packages: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(p, _)| !apt_installed(p))
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let wanted = packages
        .iter()
        .filter(|(p, _)| missing.contains(p))
        .map(|(p, why)| format!("{p}（{why}）"))
        .collect::<Vec<_>>()
        .join("、");
    if Command::new("apt-get").arg("--version").output().is_err() {
        return Err(format!(
            "缺少 {wanted}，而这台机器没有 apt-get。请用系统的包管理器安装它们\
             （Chromium 要在 /usr/bin/chromium）。"
        ));
    }
    eprintln!("安装 Debian 包：{wanted}……");
    let apt = |args: &[&str]| {
        let mut cmd = if is_root() {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.args(["-n", "apt-get"]);
            c
        };
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    let hint = format!(
        "需要 root 权限（或免密码的 sudo）。也可以手动运行：\
         `apt-get update && apt-get install -y {}`",
        missing.join(" ")
    );
    run("apt-get update", &mut apt(&["update"])).map_err(|e| format!("{e}\n{hint}"))?;
    let mut install = vec!["install", "-y"];
    install.extend(&missing);
    run("apt-get install", &mut apt(&install)).map_err(|e| format!("{e}\n{hint}"))?;
    for p in &missing {
        if !apt_installed(p) {
            return Err(format!("apt-get 报告成功，但 {p} 仍未安装。"));
        }
    }
    Ok(())
}

/// `npm ci`，只在 `package-lock.json` 变过或 `node_modules` 不完整时运行。
fn install_npm_packages(root: &Path) -> Result<(), String> {
    let dir = browser_dir(root);
    let lock = dir.join("package-lock.json");
    let lock_text = std::fs::read_to_string(&lock).map_err(|e| {
        format!(
            "{}：无法读取（{e}）。这个文件固定了 npm 包的版本，应当随仓库提交。",
            lock.display()
        )
    })?;
    // 上次成功安装时的 package-lock.json 副本；相同就不再安装。
    let stamp = dir
        .join("node_modules")
        .join(".installed-package-lock.json");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(lock_text.as_str()) {
        return Ok(());
    }
    eprintln!("安装 tests/browser 的 npm 包（npm ci，版本由 package-lock.json 固定）……");
    run(
        "npm ci（tests/browser）",
        Command::new("npm")
            .current_dir(&dir)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]),
    )
    .map_err(|e| {
        format!("{e}\n请确认能访问 npm 仓库；package.json 与 package-lock.json 必须一致（改了依赖就在 tests/browser 下运行 `npm install` 并提交新的锁文件）。")
    })?;
    std::fs::write(&stamp, &lock_text)
        .map_err(|e| format!("{}：无法写入：{e}", stamp.display()))?;
    Ok(())
}

/// Pagefind 扩展版（带中文分词）的可执行文件；npm 包按平台安装在 `@pagefind/<平台>/bin/`。
fn pagefind_binary(root: &Path) -> Result<PathBuf, String> {
    let scope = browser_dir(root).join("node_modules").join("@pagefind");
    let found = std::fs::read_dir(&scope)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join("pagefind_extended"))
        .find(|p| p.is_file());
    let Some(bin) = found else {
        return Err(format!(
            "找不到 Pagefind 扩展版（{}/*/bin/pagefind_extended）。普通版不切分中文，中文搜索会失效。\
             请运行 `cargo xtask tools`（它会在 tests/browser 下运行 `npm ci`）。",
            scope.display()
        ));
    };
    let out = Command::new(&bin)
        .arg("--version")
        .output()
        .map_err(|e| format!("无法运行 {}：{e}", bin.display()))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if version != format!("pagefind {PAGEFIND_VERSION}") {
        return Err(format!(
            "{} 报告的版本是 `{version}`，期望 pagefind {PAGEFIND_VERSION}。请运行 `cargo xtask tools`。",
            bin.display()
        ));
    }
    Ok(bin)
}

// ---------------------------------------------------------------------------
// 构建
// ---------------------------------------------------------------------------

/// 构建本书到 `out`：`mdbook build`，再生成 Pagefind 中文搜索索引（`out/pagefind/`）。
///
/// `site_url` 是书在站点上的路径（例如 GitHub Pages 上的 `/仓库名/`），只影响 404 页；
/// 其余页面都用相对链接，放在哪个子路径下都能用。
pub fn build_site(root: &Path, mdbook: &Path, out: &Path, site_url: &str) -> Result<(), String> {
    let node_modules = browser_dir(root).join("node_modules");
    if !node_modules.is_dir() {
        return Err(
            "tests/browser/node_modules 不存在：构建需要其中的 KaTeX 与 Pagefind。请先运行 `cargo xtask tools`。"
                .into(),
        );
    }
    let site_url = normalize_site_url(site_url);
    clean_output_dir(out)?;

    eprintln!("\n==> mdbook build（site-url = {site_url}）");
    let (ok, log) = run_captured(
        "mdbook build",
        Command::new(mdbook)
            .current_dir(root)
            .env("MDBOOK_OUTPUT__HTML__SITE_URL", &site_url)
            .arg("build")
            .arg("-d")
            .arg(out),
    )?;
    eprint!("{log}");
    // mdBook 在引入的文件缺失时只记一行 ERROR，退出码仍是 0（mdBook issue #1094）。
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    if !ok || !errors.is_empty() {
        return Err(format!(
            "mdbook build 失败{}：\n{}\n请按上面的报错修正章节或 book.toml。",
            if ok {
                "（退出码为 0，但输出里有 ERROR）"
            } else {
                ""
            },
            if errors.is_empty() {
                log.trim().to_string()
            } else {
                errors.join("\n")
            }
        ));
    }

    let pages = mark_indexed_pages(out)?;
    build_search_index(root, out, pages)
}

fn normalize_site_url(site_url: &str) -> String {
    let mut s = site_url.trim().to_string();
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// 删除上一次构建的结果；只删看起来是本书输出的目录，免得误删别的东西。
fn clean_output_dir(out: &Path) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if empty || out.join("toc.html").exists() || out.join("index.html").exists() {
        std::fs::remove_dir_all(out)
            .map_err(|e| format!("无法清空上一次的构建结果 {}：{e}", out.display()))
    } else {
        Err(format!(
            "{} 已存在，但不像是本书的构建结果；为免误删，请换一个输出目录或手动删除它。",
            out.display()
        ))
    }
}

/// 给每个章节页的 `<main>` 加上 `data-pagefind-body`：Pagefind 因此只索引正文，
/// 不索引侧边栏和导航，也不索引没有这个标记的打印版、404 页和目录框架；
/// 正文的第一个 `<h1>` 标为搜索结果的标题。
/// 返回加了标记的页数。
fn mark_indexed_pages(out: &Path) -> Result<usize, String> {
    let mut pages = Vec::new();
    collect_html(out, &mut pages);
    let mut marked = 0;
    for page in pages {
        let rel = page.strip_prefix(out).unwrap_or(&page);
        let name = rel.to_string_lossy().replace('\\', "/");
        if NOT_INDEXED.contains(&name.as_str()) || name.starts_with("pagefind/") {
            continue;
        }
        let html = std::fs::read_to_string(&page)
            .map_err(|e| format!("{}：无法读取：{e}", page.display()))?;
        if !html.contains("<main>") {
            return Err(format!(
                "{name}：找不到 `<main>`，无法标出要索引的正文。mdBook 的页面模板变了吗？\
                 （本书不覆盖 index.hbs；请检查 theme/ 与 mdBook 版本。）"
            ));
        }
        let mut html = html.replacen("<main>", "<main data-pagefind-body>", 1);
        // 搜索结果的标题用章节的一级标题，而不是页面顶栏里的书名（它也是 <h1>）。
        let main_at = html.find("<main data-pagefind-body>").unwrap_or(0);
        if let Some(h1) = html[main_at..].find("<h1").map(|i| main_at + i + 3) {
            html.insert_str(h1, r#" data-pagefind-meta="title""#);
        }
        std::fs::write(&page, html).map_err(|e| format!("{}：无法写入：{e}", page.display()))?;
        marked += 1;
    }
    if marked == 0 {
        return Err(format!("{}：没有找到任何章节页。", out.display()));
    }
    Ok(marked)
}

fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_html(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

fn build_search_index(root: &Path, out: &Path, pages: usize) -> Result<(), String> {
    eprintln!("\n==> Pagefind {PAGEFIND_VERSION} 扩展版：中文搜索索引");
    let bin = pagefind_binary(root)?;
    let (ok, log) = run_captured(
        "Pagefind",
        Command::new(&bin)
            .arg("--site")
            .arg(out)
            .args(["--output-subdir", "pagefind"]),
    )?;
    if !ok {
        return Err(format!("Pagefind 建立索引失败：\n{log}"));
    }
    // 核对：索引的页数等于章节页数，语言是中文（否则没有用上中文分词）。
    let indexed = log
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Indexed ")?
                .strip_suffix(" pages")?
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(0);
    if indexed != pages {
        return Err(format!(
            "Pagefind 索引了 {indexed} 个页面，但有 {pages} 个章节页应当被索引。Pagefind 的输出：\n{log}"
        ));
    }
    if !log.contains("zh-cn") {
        return Err(format!(
            "Pagefind 没有把本书识别为中文（book.toml 的 language 应为 zh-CN），中文分词不会生效。输出：\n{log}"
        ));
    }
    eprintln!("Pagefind 索引了 {indexed} 个页面（打印版、404 页与目录框架不进入索引）。");
    Ok(())
}

// ---------------------------------------------------------------------------
// 检查
// ---------------------------------------------------------------------------

/// 中文排版检查（AutoCorrect）：`src/` 下的 Markdown 必须零问题。
pub fn prose_lint(root: &Path) -> Result<(), String> {
    let script = browser_dir(root).join("prose-lint.mjs");
    let status = Command::new("node")
        .current_dir(root)
        .arg(&script)
        .arg("src")
        .status()
        .map_err(|e| format!("无法运行 {}：{e}", script.display()))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(1) => Err("中文排版检查没有通过：问题的文件、行号和建议写法见上。".into()),
        _ => Err(format!(
            "中文排版检查无法运行（{status}）。请先运行 `cargo xtask tools` 安装 AutoCorrect。"
        )),
    }
}

/// 浏览器测试：把书构建到临时目录（放在子路径 `/rust-async-book/` 下），
/// 用 Debian 的 Chromium 打开并检查搜索、示例、请求、主题、打印版与 404 页。
/// 截图保存在 `tests/browser/screenshots/`，供人查看。
/// 在已经用 [`TEST_SUB_PATH`] 构建好的站点 `out` 上运行浏览器测试（`tests/browser/book.test.mjs`）。
pub fn browser_test(root: &Path, out: &Path) -> Result<(), String> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.is_file() {
        return Err(
            "找不到 /usr/bin/chromium。请运行 `cargo xtask tools` 安装 Debian 的 chromium。".into(),
        );
    }
    let dir = browser_dir(root);
    let screenshots = dir.join("screenshots");
    let status = Command::new("node")
        .current_dir(&dir)
        .args(["--test", "--test-reporter=spec", "book.test.mjs"])
        .env("BOOK_DIR", out)
        .env("BOOK_PREFIX", TEST_SUB_PATH)
        .env("BOOK_SRC", root.join("src"))
        .env("SCREENSHOT_DIR", &screenshots)
        .status();
    let status = status.map_err(|e| format!("无法运行 node --test：{e}"))?;
    if status.success() {
        eprintln!("浏览器测试通过。截图在 {}。", screenshots.display());
        Ok(())
    } else {
        Err(format!(
            "浏览器测试失败（{status}）：失败的检查和原因见上。截图在 {}。\
             单独重跑：`cargo xtask build` 之后在 tests/browser 下运行 \
             `BOOK_DIR=../../book BOOK_PREFIX=/ node --test book.test.mjs`。",
            screenshots.display()
        ))
    }
}
