//! 运行示例程序：有时间上限、收集输出、与书中的输出文件比对。

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// 每个示例的运行时间上限。本书的示例都在几十毫秒内结束；超过上限的多半是卡住了。
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// 一次运行的结果。
#[derive(Debug)]
pub struct Finished {
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// 运行一个命令，超时则杀掉它。退出码非零、被信号终止、超时，都返回错误，
/// 错误信息里带上命令和它的标准错误（panic 信息就在那里）。
pub fn run_with_limit(cmd: Command, limit: Duration) -> Result<Finished, String> {
    let shown = format!("{cmd:?}");
    let (status, done) = run_capturing(cmd, limit)?;
    if !status.success() {
        return Err(format!(
            "{shown} 失败（{status}）。\n标准错误：\n{}\n标准输出：\n{}",
            done.stderr, done.stdout
        ));
    }
    Ok(done)
}

/// 运行一个命令，超时则杀掉它；无论退出码是什么，都交回退出状态和输出。
fn run_capturing(mut cmd: Command, limit: Duration) -> Result<(ExitStatus, Finished), String> {
    let shown = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("无法启动 {shown}：{e}"))?;
    // 在别的线程里读输出，免得管道写满后子进程卡住。
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = match child.wait_timeout(limit).map_err(|e| e.to_string())? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
            return Err(format!(
                "{shown} 运行超过 {} 秒，已被终止。它是否在等待永远不会到来的事件？\
                 能暂停时钟的地方请用 tokio 的暂停时钟。到被终止为止的标准输出：\n{stdout}",
                limit.as_secs()
            ));
        }
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    Ok((
        status,
        Finished {
            stdout,
            stderr,
            elapsed,
        },
    ))
}

/// 测试二进制所在的构建目录，例如 `target/debug`。
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("测试程序的路径");
    // target/debug/deps/listings-xxxx
    exe.parent()
        .and_then(Path::parent)
        .expect("测试程序位于 target/<profile>/deps/")
        .to_path_buf()
}

/// 编译全部示例（已是最新时几乎不花时间），返回示例二进制所在目录。
/// 测试自己编译，而不是假定 `cargo test` 已经编译过：只运行这一个测试目标时，
/// 示例可能是旧的，比对旧程序的输出就是静悄悄的错误。
///
/// 编译用的正是 README 的 `cargo test --workspace`（`--no-run`），而不是
/// `cargo build -p listings --examples` 或 `cargo build --workspace --examples`：cargo 按所选的
/// 包和目标统一依赖，选的不同，得到的依赖图就不同。只编译示例时，book-tests 的依赖（clap 要用
/// strsim）不在图里，strsim 就只剩 embassy-executor 的过程宏这一个使用者，按构建脚本的配置
/// （`build-override`）另编译一份，于是 darling、embassy-executor 和 `listings` 的全部示例都
/// 按另一组哈希重新编译一遍：新克隆的仓库里，第一次 `cargo test` 因此多花约一分钟。
/// 用同一条命令，`cargo test --workspace` 已经编译好的示例在这里就是最新的。
pub fn build_examples(root: &Path) -> Result<PathBuf, String> {
    let dir = profile_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["test", "--quiet", "--locked", "--workspace", "--no-run"]);
    if dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("无法运行 cargo test --no-run：{e}"))?;
    if !status.success() {
        return Err("编译示例失败（见上面 cargo 的报错）".into());
    }
    Ok(dir.join("examples"))
}

/// [`build_examples`] 的结果，一个测试程序里只编译一次：示例测试和启动服务器的测试并行运行，
/// 第一个用到它的去编译，其余的等它。
pub fn built_examples() -> &'static Result<PathBuf, String> {
    static DIR: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| build_examples(&crate::repo_root()))
}

/// 把一次运行的标准输出与输出文件比对。输出文件第一行是读者运行的命令。
pub fn compare(output_file: &Path, command_line: &str, stdout: &str) -> Result<(), String> {
    compare_masked(output_file, command_line, stdout, str::to_string)
}

/// 比对之前先把两边都交给 `mask`（盖住每次运行都不同的地方）。
fn compare_masked(
    output_file: &Path,
    command_line: &str,
    stdout: &str,
    mask: fn(&str) -> String,
) -> Result<(), String> {
    let shown = crate::rel(&crate::repo_root(), output_file);
    let text = std::fs::read_to_string(output_file).map_err(|e| {
        format!("{shown}: 无法读取（{e}）。用 `cargo xtask bless` 从真实运行生成它")
    })?;
    let (first, expected) = text.split_once('\n').unwrap_or((&text, ""));
    if first != command_line {
        return Err(format!(
            "{shown}: 第一行应是运行命令 `{command_line}`，实际是 `{first}`。用 `cargo xtask bless` 重新生成"
        ));
    }
    match crate::diff::diff(&mask(expected), &mask(stdout)) {
        None => Ok(()),
        Some(d) => Err(format!(
            "{shown} 与这次运行的输出不同：\n{d}\n如果新输出是对的，运行 `cargo xtask bless` 更新它，然后阅读 git diff"
        )),
    }
}

/// 输出文件的内容：命令行加上标准输出。
pub fn blessed(command_line: &str, stdout: &str) -> String {
    format!("{command_line}\n{stdout}")
}

// ---------------------------------------------------------------------------
// 测试示例（第 17 章）：示例本身是一组 #[test]，输出是 libtest 打印的结果
// ---------------------------------------------------------------------------

/// 测试程序的输出里每次运行都不同的两处：`test result:` 行末尾的用时
/// （`finished in 0.02s`），和 panic 信息里的线程号（`thread 'x' (8895) panicked at`）。
/// 比对前把两边的这两处都换成 `…`；其余每个字节照常比对。
pub fn mask_test_output(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let masked = if body.starts_with("test result: ")
            && let Some(i) = body.rfind("; finished in ")
        {
            format!("{}; finished in …", &body[..i])
        } else if body.starts_with("thread '")
            && let Some(p) = body.find(") panicked at ")
            && let Some(o) = body[..p].rfind(" (")
            && body[o + 2..p].bytes().all(|b| b.is_ascii_digit())
        {
            format!("{} (…){}", &body[..o], &body[p..])
        } else {
            body.to_string()
        };
        out.push_str(&masked);
        out.push_str(end);
    }
    out
}

/// 测试示例的输出与输出文件比对：除了 [`mask_test_output`] 盖住的两处，逐字相同。
pub fn compare_test_output(
    output_file: &Path,
    command_line: &str,
    stdout: &str,
) -> Result<(), String> {
    compare_masked(output_file, command_line, stdout, mask_test_output)
}

/// 运行一个测试程序（libtest）。`may_fail` 为假时，任何失败的测试都是错误；
/// 为真时（loom 的示例：书中展示的正是失败的那个测试），libtest 因测试失败而退出
/// （退出码 101）也接受，结果由比对输出决定。超时、被信号终止、标准错误有内容，总是错误。
pub fn run_test_listing(mut cmd: Command, may_fail: bool) -> Result<Finished, String> {
    // 读者的环境里通常没有这些变量；它们会改变 libtest 和 panic 的输出。
    for var in TEST_ENV {
        cmd.env_remove(var);
    }
    let shown = format!("{cmd:?}");
    let (status, done) = run_capturing(cmd, TIME_LIMIT)?;
    let failed_tests = status.code() == Some(101);
    if !(status.success() || may_fail && failed_tests) {
        let why = if failed_tests {
            "有测试失败"
        } else {
            "异常结束"
        };
        return Err(format!(
            "{shown} {why}（{status}）。\n标准输出：\n{}\n标准错误：\n{}",
            done.stdout, done.stderr
        ));
    }
    if !done.stderr.is_empty() {
        return Err(format!("{shown} 向标准错误写了内容：\n{}", done.stderr));
    }
    Ok(done)
}

/// 运行测试示例时去掉的环境变量。
const TEST_ENV: &[&str] = &[
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
    "RUST_TEST_NOCAPTURE",
    "RUST_TEST_SHUFFLE",
    "RUST_TEST_SHUFFLE_SEED",
    "RUST_TEST_THREADS",
    "LOOM_LOG",
    "LOOM_LOCATION",
    "LOOM_CHECKPOINT_FILE",
    "LOOM_MAX_PREEMPTIONS",
    "LOOM_MAX_BRANCHES",
    "LOOM_MAX_PERMUTATIONS",
    "LOOM_MAX_DURATION",
];

/// 从 `cargo --message-format=json` 的输出里找出测试程序：目标名 → 可执行文件。
pub fn test_executables(json: &str) -> BTreeMap<String, PathBuf> {
    let field = |line: &str, key: &str| -> Option<String> {
        let start = line.find(key)? + key.len();
        let end = line[start..].find('"')?;
        Some(line[start..start + end].to_string())
    };
    json.lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains("\"test\":true"))
        .filter_map(|l| {
            let target = &l[l.find("\"target\":{")?..];
            Some((
                field(target, "\"name\":\"")?,
                PathBuf::from(field(l, "\"executable\":\"")?),
            ))
        })
        .collect()
}

/// 编译测试示例，返回 示例名 → 测试程序。
///
/// - `listings` 包里的测试示例：`cargo test --no-run --example …`，与 `cargo test` 共用构建目录；
/// - loom 的示例：`listings/loom` 包，`RUSTFLAGS="--cfg loom"`，构建目录是 `target/loom`。
///   `--cfg loom` 作用于整个依赖图，换一次 RUSTFLAGS 就要重新编译全部依赖，所以它有自己的
///   构建目录，与工作区互不打扰。另外在 `target/loom-plain` 里不带 `--cfg loom` 检查一次，
///   示例里 `#[cfg(not(loom))]` 的那几行也被编译过。
pub fn build_test_listings(
    root: &Path,
    listings: &[crate::Listing],
) -> Result<BTreeMap<String, PathBuf>, String> {
    use crate::ListingKind;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let profile = profile_dir();
    let target = profile.parent().expect("target/<profile>");
    let mut found = BTreeMap::new();
    fn run(mut cmd: Command, what: &str) -> Result<String, String> {
        cmd.stderr(Stdio::inherit());
        let out = cmd
            .output()
            .map_err(|e| format!("无法运行 cargo（{what}）：{e}"))?;
        if !out.status.success() {
            return Err(format!("编译{what}失败（见上面 cargo 的报错）"));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
    // loom 的两次构建各有自己的构建目录，与下面工作区里的构建互不等待锁，放到另外的线程上同时做。
    let loom = listings
        .iter()
        .any(|l| l.kind == ListingKind::Loom)
        .then(|| {
            let manifest = root.join("listings/loom/Cargo.toml");
            [("loom-plain", ""), ("loom", "--cfg loom")].map(|(dir, rustflags)| {
                let mut cmd = Command::new(&cargo);
                cmd.current_dir(root)
                    .env("RUSTFLAGS", rustflags)
                    .env("CARGO_TARGET_DIR", target.join(dir))
                    .env_remove("CARGO_ENCODED_RUSTFLAGS")
                    .env_remove("CARGO_BUILD_RUSTFLAGS")
                    .args([
                        "test",
                        "--no-run",
                        "--quiet",
                        "--locked",
                        "--message-format=json-render-diagnostics",
                        "--tests",
                        "--manifest-path",
                    ])
                    .arg(&manifest);
                let what = format!("loom 的示例（RUSTFLAGS=\"{rustflags}\"）");
                let keep = !rustflags.is_empty();
                std::thread::spawn(move || run(cmd, &what).map(|json| keep.then_some(json)))
            })
        });
    let tests: Vec<&str> = listings
        .iter()
        .filter(|l| l.kind == ListingKind::Test)
        .map(|l| l.name.as_str())
        .collect();
    if !tests.is_empty() {
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(root).args([
            "test",
            "--no-run",
            "--quiet",
            "--locked",
            "--message-format=json-render-diagnostics",
            "-p",
            "listings",
        ]);
        for name in &tests {
            cmd.args(["--example", name]);
        }
        if profile.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        found.extend(test_executables(&run(cmd, "测试示例")?));
    }
    for build in loom.into_iter().flatten() {
        let json = build
            .join()
            .map_err(|_| "编译 loom 示例的线程 panic 了".to_string())??;
        if let Some(json) = json {
            found.extend(test_executables(&json));
        }
    }
    Ok(found)
}
