//! 运行示例程序：有时间上限、收集输出、与书中的输出文件比对。

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
pub fn run_with_limit(mut cmd: Command, limit: Duration) -> Result<Finished, String> {
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
    if !status.success() {
        return Err(format!(
            "{shown} 失败（{status}）。\n标准错误：\n{stderr}\n标准输出：\n{stdout}"
        ));
    }
    Ok(Finished {
        stdout,
        stderr,
        elapsed,
    })
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
pub fn build_examples(root: &Path) -> Result<PathBuf, String> {
    let dir = profile_dir();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "build",
        "--quiet",
        "--locked",
        "-p",
        "listings",
        "--examples",
    ]);
    if dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("无法运行 cargo build：{e}"))?;
    if !status.success() {
        return Err("编译示例失败（见上面 cargo 的报错）".into());
    }
    Ok(dir.join("examples"))
}

/// 把一次运行的标准输出与输出文件比对。输出文件第一行是读者运行的命令。
pub fn compare(output_file: &Path, command_line: &str, stdout: &str) -> Result<(), String> {
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
    match crate::diff::diff(expected, stdout) {
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
