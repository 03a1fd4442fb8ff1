//! 本书的检查器。
//!
//! 书的承诺是“读者看到的就是测试运行过的”。mdBook 自己并不守这个承诺：
//! 引入的文件不存在时它只记一行 ERROR 然后照样成功退出，锚点不存在时它输出空代码块
//! （见 `tests/DESIGN.md`）。这里的函数把这些情况都变成带文件名的错误。
//!
//! 检查分三层：
//! - [`book`]：章节里的引入指令、锚点、代码块种类、示例与输出文件的覆盖率；
//! - [`run`]：运行一个示例（有时间上限）并与输出文件比对；
//! - [`rendered`]：对 mdBook 真正生成的 Markdown 与 HTML 再核对一遍（由 `cargo xtask test` 调用）。
//!
//! [`frame`] 把章节切成有顺序的条目并读懂 caption，[`cjk`] 找出中文之间的换行；两层检查共用它们。

pub mod book;
pub mod cache;
pub mod cjk;
pub mod claims;
pub mod diff;
pub mod frame;
pub mod include;
pub mod markdown;
pub mod offline;
pub mod rendered;
pub mod run;
pub mod server;

use std::path::{Path, PathBuf};

/// 不会自己结束的服务器示例：它们没有 `.out` 文件，而由 `tests/network.rs`
/// 用真实的 TCP 客户端驱动（第 19 章的迷你 Redis 由 `tests/redis.rs` 用 Debian 的
/// redis-cli 与 redis-benchmark 驱动）。
pub const SERVER_LISTINGS: &[&str] = &[
    "ch03-02-tokio-echo-server",
    "ch10-04-async-io-echo-server",
    "ch16-02-graceful-server",
    "ch20-06-server",
    "ch19-06-server",
];

/// 文件名含这个片段的示例是基准测试：测试以 `BOOK_BENCH=smoke` 运行它，只要求成功结束；
/// 真正的测量由 `cargo xtask bench` 完成。
pub const BENCH_MARKER: &str = "-bench-";

/// 源文件里有这一行的示例是一组测试（第 17 章）：`main` 只是占位，测试以
/// `cargo test --example 名字` 编译成测试程序运行，比对的是 libtest 的标准输出。
/// 这样的示例要在 `listings/Cargo.toml` 里声明 `test = true`：普通的 `cargo test`
/// 才会运行它们，clippy 才会检查测试代码。
pub const TEST_MARKER: &str = "#[cfg(test)]";

/// loom 的示例：单独的包 `listings/loom`（不属于工作区，因为 `--cfg loom` 要作用于整个
/// 依赖图），示例是它的集成测试。测试在 `target/loom` 里以 `RUSTFLAGS="--cfg loom"` 构建并运行它们。
pub const LOOM_LISTINGS: &str = "listings/loom/tests";

/// 仓库根目录（本 crate 位于 `tests/`）。
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ 有上级目录")
        .to_path_buf()
}

/// 把路径显示成相对仓库根目录的样子，报错信息因此简短且可以直接复制。
pub fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// 读取文本文件；失败时的错误信息带上文件名。
pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: 无法读取：{e}", path.display()))
}

/// 一个示例程序的种类。
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListingKind {
    /// 运行一次，标准输出与同名 `.out` 文件（去掉第一行命令）比对。
    Output,
    /// 服务器：由网络测试驱动。
    Server,
    /// 基准测试：以冒烟模式运行。
    Bench,
    /// 一组测试（源文件里有 [`TEST_MARKER`]）：以 `cargo test --example` 运行，必须全部通过。
    Test,
    /// loom 的模型检查（[`LOOM_LISTINGS`] 下）：书中展示的输出可以含有失败的测试，
    /// 那正是 loom 找到的缺陷；输出照样逐字比对。
    Loom,
}

/// `listings/examples/` 下的一个示例。
#[derive(Debug, Clone)]
pub struct Listing {
    /// 文件名去掉 `.rs`，也就是 `cargo run --example` 的参数。
    pub name: String,
    pub source: PathBuf,
    pub kind: ListingKind,
}

impl Listing {
    /// 书中展示的控制台记录文件。
    pub fn output_file(&self) -> PathBuf {
        self.source.with_extension("out")
    }

    /// 控制台记录的第一行：产生这份输出的命令。测试示例加上 `--test-threads=1`：
    /// 测试按名字顺序逐个运行，输出的顺序才固定。
    pub fn command_line(&self) -> String {
        match test_command(&self.kind, &self.name) {
            Some(cmd) => format!("$ {cmd} -- --test-threads=1"),
            None => format!("$ cargo run --example {}", self.name),
        }
    }
}

/// 测试示例（[`ListingKind::Test`]、[`ListingKind::Loom`]）的 caption 上写的运行命令。
pub fn test_command(kind: &ListingKind, name: &str) -> Option<String> {
    match kind {
        ListingKind::Test => Some(format!("cargo test --example {name}")),
        ListingKind::Loom => Some(format!(
            "RUSTFLAGS=\"--cfg loom\" cargo test --manifest-path listings/loom/Cargo.toml --test {name}"
        )),
        _ => None,
    }
}

/// 一个示例文件是哪一种（`source` 是它的内容）。
pub fn kind_of(path: &Path, source: &str) -> ListingKind {
    let name = path.file_stem().unwrap_or_default().to_string_lossy();
    if path.parent().is_some_and(|d| d.ends_with(LOOM_LISTINGS)) {
        ListingKind::Loom
    } else if SERVER_LISTINGS.contains(&name.as_ref()) {
        ListingKind::Server
    } else if name.contains(BENCH_MARKER) {
        ListingKind::Bench
    } else if source.contains(TEST_MARKER) {
        ListingKind::Test
    } else {
        ListingKind::Output
    }
}

/// 列出全部可运行示例（`listings/examples/` 下的，再加上 loom 的），按文件名排序。
pub fn listings(root: &Path) -> Result<Vec<Listing>, String> {
    let mut out = Vec::new();
    let mut paths = files_with_ext(&root.join("listings/examples"), "rs")?;
    let loom = root.join(LOOM_LISTINGS);
    if loom.is_dir() {
        paths.extend(files_with_ext(&loom, "rs")?);
    }
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let kind = kind_of(&path, &std::fs::read_to_string(&path).unwrap_or_default());
        out.push(Listing {
            name,
            source: path,
            kind,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// 故意无法编译的示例（`listings/compile-fail/cases/*.rs`）。
pub fn compile_fail_cases(root: &Path) -> Result<Vec<PathBuf>, String> {
    files_with_ext(&root.join("listings/compile-fail/cases"), "rs")
}

/// 一个目录中扩展名为 `ext` 的文件（不进入子目录），按路径排序。
pub fn files_with_ext(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    Ok(out)
}
