//! `cargo xtask bench`：运行全部基准测试示例，把结果写进 `listings/results/`。
//!
//! 流程：
//! 1. 用 `cargo build --release` 编译每个基准测试示例（文件名含 `-bench-`）；
//! 2. 以完整模式（不设 `BOOK_BENCH=smoke`）逐个运行，收集它们打印的 `名字 = 数值` 行；
//! 3. 记下机器（CPU、核心数、内存、操作系统、libc）、rustc 与 crate 版本、日期和负载；
//! 4. 写出结果文件 [`RESULTS_FILE`]：机器信息、原始数据，以及由原始数据算出的、
//!    书中引用的数字（每个数字一个 mdBook 锚点，章节用 `{{#include …:锚点}}` 引入）；
//! 5. 从同一份数据生成 SVG 图表（[`CHARTS`]），章节整体引入。
//!
//! 结果文件中“书中引用的数字”和图表完全由原始数据决定：`tests/figures.rs`
//! 用这里的 [`render_results`] 与 [`charts`] 重新生成它们并逐字比对，手工改动会被发现。

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// 结果文件（相对仓库根目录）。
pub const RESULTS_FILE: &str = "listings/results/bench.txt";

/// 结果文件的标题注释。
const HEADER: &str = "\
# 《Rust 异步编程指南》第 21 章的测量结果。
# 由 `cargo xtask bench` 生成，不要手工编辑：tests/figures.rs 会从下面的原始数据
# 重新算出书中引用的数字和图表，与这个文件和 listings/results/*.svg 逐字比对。
";

/// 机器与版本信息的键，按写入顺序排列。
pub const META_KEYS: &[&str] = &[
    "date",
    "machine.cpu",
    "machine.cores",
    "machine.memory",
    "machine.os",
    "machine.libc",
    "rustc",
    "crates",
    "load.before",
    "load.after",
];

/// 记录版本的 crate（书中的测量结果取决于它们）。
const CRATES: &[&str] = &[
    "tokio",
    "smol",
    "async-executor",
    "async-task",
    "async-channel",
];

/// 一次测量的全部结果。
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Results {
    /// 机器与版本信息（键见 [`META_KEYS`]）。
    pub meta: BTreeMap<String, String>,
    /// 基准测试打印的原始数值，原样保存为文本，重新生成时不受浮点格式化影响。
    pub raw: BTreeMap<String, String>,
}

impl Results {
    fn meta(&self, key: &str) -> Result<&str, String> {
        self.meta
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| format!("结果中缺少 `{key}`"))
    }

    /// 一个原始数值。
    pub fn num(&self, key: &str) -> Result<f64, String> {
        let v = self.raw.get(key).ok_or_else(|| {
            format!("结果中缺少 `{key}`：对应的基准测试没有运行，或没有打印这一项")
        })?;
        v.parse().map_err(|_| format!("`{key} = {v}` 不是数字"))
    }
}

/// 从基准测试的标准输出中取出 `名字 = 数值` 行（`#` 开头的是说明）。
pub fn parse_bench_output(stdout: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for line in stdout.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        let value = value.split_whitespace().next().unwrap_or("");
        if value.parse::<f64>().is_err() {
            return Err(format!("无法解析的结果行：`{line}`"));
        }
        out.push((key.trim().to_string(), value.to_string()));
    }
    Ok(out)
}

/// 读回结果文件（锚点部分会被忽略：它由数据重新生成）。
pub fn parse_results(text: &str) -> Result<Results, String> {
    let mut r = Results::default();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("# ----- 书中引用的数字") {
            break;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .ok_or_else(|| format!("{RESULTS_FILE}:{}: 无法解析 `{line}`", i + 1))?;
        if META_KEYS.contains(&key) {
            r.meta.insert(key.to_string(), value.to_string());
        } else {
            r.raw.insert(key.to_string(), value.to_string());
        }
    }
    Ok(r)
}

// ---------------------------------------------------------------------------
// 数字的显示格式

/// 千分位：16328 → "16,328"。
fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 至多三位有效数字，小数部分去掉多余的 0。
fn sig(v: f64) -> String {
    let decimals = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// 字节数：322 字节、9.5 KiB、357 KiB、2 MiB。
pub fn fmt_bytes(v: f64) -> String {
    const KIB: f64 = 1024.0;
    if v < KIB {
        format!("{} 字节", v.round() as u64)
    } else if v < KIB * KIB {
        format!("{} KiB", sig(v / KIB))
    } else {
        format!("{} MiB", sig(v / KIB / KIB))
    }
}

/// 纳秒数：237 纳秒、1.8 微秒、39 微秒、6.5 毫秒。
pub fn fmt_ns(v: f64) -> String {
    if v < 1_000.0 {
        format!("{} 纳秒", v.round() as u64)
    } else if v < 1_000_000.0 {
        format!("{} 微秒", sig(v / 1_000.0))
    } else {
        format!("{} 毫秒", sig(v / 1_000_000.0))
    }
}

fn fmt_count(v: f64) -> String {
    thousands(v.round() as u64)
}

/// 倍数：164 倍、5 倍、1.1 倍。
fn fmt_ratio(v: f64) -> String {
    format!("{} 倍", sig(v))
}

/// `new` 相对 `base` 的耗时变化：“慢 398%”“快 3%”“持平”（差别小于 1%）。
fn fmt_change(new: f64, base: f64) -> String {
    let pct = (new - base) / base * 100.0;
    if pct.abs() < 1.0 {
        "持平".to_string()
    } else if pct > 0.0 {
        format!("慢 {}%", pct.round() as i64)
    } else {
        format!("快 {}%", (-pct).round() as i64)
    }
}

// ---------------------------------------------------------------------------
// 书中引用的数字

/// 书中引用的全部数字：（锚点名，显示的文本）。
pub fn figures(r: &Results) -> Result<Vec<(String, String)>, String> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, text: String| f.push((name.to_string(), text));

    // 机器与版本。
    put(
        "machine",
        format!(
            "{}（{} 个核心，{} 内存），{}，{}",
            r.meta("machine.cpu")?,
            r.meta("machine.cores")?,
            r.meta("machine.memory")?,
            r.meta("machine.os")?,
            r.meta("machine.libc")?
        ),
    );
    put("date", r.meta("date")?.to_string());
    put("rustc", r.meta("rustc")?.to_string());
    put("crates", r.meta("crates")?.to_string());
    put(
        "load",
        format!(
            "开始时 {}，结束时 {}",
            r.meta("load.before")?,
            r.meta("load.after")?
        ),
    );

    // 示例 21-3：内存池。
    for size in ["4k", "1m"] {
        for mode in ["one_task", "contended"] {
            let alloc = r.num(&format!("pool.{size}.{mode}.alloc_ns"))?;
            let pool = r.num(&format!("pool.{size}.{mode}.pool_ns"))?;
            put(&format!("pool_{size}_{mode}_alloc"), fmt_ns(alloc));
            put(&format!("pool_{size}_{mode}_pool"), fmt_ns(pool));
            put(
                &format!("pool_{size}_{mode}_change"),
                fmt_change(pool, alloc),
            );
        }
    }

    // 示例 21-4：空闲任务的内存。
    for p in ["0", "1024"] {
        put(
            &format!("task_future{p}_size"),
            fmt_bytes(r.num(&format!("task_memory.future{p}.size_bytes"))?),
        );
    }
    for rt in ["tokio_mt", "tokio_ct", "smol"] {
        for p in ["0", "1024"] {
            for m in ["heap", "rss"] {
                put(
                    &format!("task_{m}_{rt}_p{p}"),
                    fmt_bytes(r.num(&format!("task_memory.{rt}.payload{p}.{m}_bytes"))?),
                );
            }
        }
    }

    // 示例 21-5：创建并等待。
    for unit in ["thread", "tokio_ct", "tokio_mt", "smol"] {
        put(
            &format!("spawn_{unit}"),
            fmt_ns(r.num(&format!("spawn.{unit}_ns"))?),
        );
    }
    put(
        "spawn_ratio",
        fmt_ratio(r.num("spawn.thread_ns")? / r.num("spawn.tokio_ct_ns")?),
    );

    // 示例 21-6：往返。
    for unit in ["thread", "tokio_ct", "tokio_mt", "smol"] {
        put(
            &format!("pingpong_{unit}"),
            fmt_ns(r.num(&format!("ping_pong.{unit}_ns"))?),
        );
    }
    put(
        "pingpong_ratio",
        fmt_ratio(r.num("ping_pong.thread_ns")? / r.num("ping_pong.tokio_ct_ns")?),
    );

    // 示例 21-7：线程。
    for name in [
        "threads_max",
        "pid_max",
        "max_map_count_div2",
        "rlimit_nproc",
        "lowest",
    ] {
        put(
            &format!("threads_limit_{name}"),
            fmt_count(r.num(&format!("threads.limit.{name}"))?),
        );
    }
    put(
        "threads_rlimit_stack",
        fmt_bytes(r.num("threads.limit.rlimit_stack_bytes")?),
    );
    put("threads_existing", fmt_count(r.num("threads.existing")?));
    for stack in ["default_stack", "small_stack"] {
        let s = stack.trim_end_matches("_stack");
        put(
            &format!("threads_{s}_count"),
            fmt_count(r.num(&format!("threads.{stack}.count"))?),
        );
        put(
            &format!("threads_{s}_spawn"),
            fmt_ns(r.num(&format!("threads.{stack}.spawn_ns"))?),
        );
        for m in ["virtual", "rss", "kernel_stack"] {
            put(
                &format!("threads_{s}_{m}"),
                fmt_bytes(r.num(&format!("threads.{stack}.{m}_bytes"))?),
            );
        }
    }
    // 一个空闲线程实际占用的内存：用户态常驻加内核栈。
    let thread_total = r.num("threads.small_stack.rss_bytes")?
        + r.num("threads.small_stack.kernel_stack_bytes")?;
    put("threads_resident_total", fmt_bytes(thread_total));
    put(
        "thread_vs_task_memory",
        fmt_ratio(thread_total / r.num("task_memory.tokio_mt.payload0.rss_bytes")?),
    );

    // 示例 21-11：二进制大小。
    for name in ["std", "tokio", "smol"] {
        put(
            &format!("size_{name}"),
            fmt_bytes(r.num(&format!("binary_size.release.{name}_bytes"))?),
        );
    }
    put(
        "size_tokio_minus_smol",
        fmt_bytes(
            r.num("binary_size.release.tokio_bytes")? - r.num("binary_size.release.smol_bytes")?,
        ),
    );
    Ok(f)
}

/// 结果文件的完整内容。
pub fn render_results(r: &Results) -> Result<String, String> {
    let mut s = String::from(HEADER);
    s.push_str("\n# ----- 机器与版本 -----\n");
    for key in META_KEYS {
        writeln!(s, "{key} = {}", r.meta(key)?).unwrap();
    }
    s.push_str("\n# ----- 原始数据：各基准测试程序打印的“名字 = 数值” -----\n");
    for (k, v) in &r.raw {
        writeln!(s, "{k} = {v}").unwrap();
    }
    s.push_str("\n# ----- 书中引用的数字（mdBook 锚点，由上面的数据算出） -----\n");
    for (name, text) in figures(r)? {
        writeln!(s, "ANCHOR: {name}\n{text}\nANCHOR_END: {name}").unwrap();
    }
    Ok(s)
}

// ---------------------------------------------------------------------------
// 图表

/// 图表文件（相对仓库根目录）。章节用 `{{#include ../listings/results/文件名}}` 整体引入。
pub const CHARTS: &[&str] = &[
    "listings/results/chart-memory.svg",
    "listings/results/chart-spawn.svg",
    "listings/results/chart-ping-pong.svg",
    "listings/results/chart-binary-size.svg",
    "listings/results/chart-pool.svg",
];

const THREAD_COLOR: &str = "#d9822b";
const TASK_COLOR: &str = "#2b7bb9";
const POOL_COLOR: &str = "#4a9c5d";

struct Bar {
    label: String,
    value: f64,
    text: String,
    color: &'static str,
}

fn bar(label: &str, value: f64, text: String, color: &'static str) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        text,
        color,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// 横向条形图。第一行单独是开始标签、中间没有空行：mdBook 把它当作一整块 HTML 原样输出。
fn bar_chart(title: &str, note: &str, bars: &[Bar]) -> String {
    let width = 680.0;
    let label_w = 210.0;
    let text_w = 110.0;
    let row = 30.0;
    let top = 44.0;
    let height = top + row * bars.len() as f64 + 34.0;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let scale = (width - label_w - text_w) / max;
    let mut s = String::new();
    writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" role="img" aria-label="{t}" font-family="sans-serif" font-size="14">"#,
        t = escape(title)
    )
    .unwrap();
    writeln!(s, "<title>{}</title>", escape(title)).unwrap();
    writeln!(
        s,
        r#"<text x="0" y="20" font-size="16" font-weight="bold" fill="currentColor">{}</text>"#,
        escape(title)
    )
    .unwrap();
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let w = (b.value * scale).max(1.0);
        writeln!(
            s,
            r#"<text x="{x}" y="{ty}" text-anchor="end" fill="currentColor">{l}</text>"#,
            x = label_w - 8.0,
            ty = y + 16.0,
            l = escape(&b.label)
        )
        .unwrap();
        writeln!(
            s,
            r#"<rect x="{label_w}" y="{y}" width="{w:.1}" height="22" fill="{c}"/>"#,
            c = b.color
        )
        .unwrap();
        writeln!(
            s,
            r#"<text x="{x:.1}" y="{ty}" fill="currentColor">{t}</text>"#,
            x = label_w + w + 6.0,
            ty = y + 16.0,
            t = escape(&b.text)
        )
        .unwrap();
    }
    writeln!(
        s,
        r#"<text x="0" y="{y}" font-size="12" fill="currentColor" opacity="0.75">{n}</text>"#,
        y = height - 10.0,
        n = escape(note)
    )
    .unwrap();
    s.push_str("</svg>\n");
    s
}

/// 由结果生成全部图表：（文件，SVG 文本），顺序与 [`CHARTS`] 相同。
pub fn charts(r: &Results) -> Result<Vec<(&'static str, String)>, String> {
    let note = format!(
        "测于 {}，{}；数据：{RESULTS_FILE}",
        r.meta("date")?,
        r.meta("machine.cpu")?
    );
    let mut out = Vec::new();

    let thread_total = r.num("threads.small_stack.rss_bytes")?
        + r.num("threads.small_stack.kernel_stack_bytes")?;
    let mut memory = vec![bar(
        "线程（常驻内存 + 内核栈）",
        thread_total,
        fmt_bytes(thread_total),
        THREAD_COLOR,
    )];
    for (rt, label) in [
        ("tokio_mt", "Tokio 多线程运行时的任务"),
        ("tokio_ct", "Tokio 单线程运行时的任务"),
        ("smol", "Smol 的任务"),
    ] {
        let v = r.num(&format!("task_memory.{rt}.payload0.rss_bytes"))?;
        memory.push(bar(label, v, fmt_bytes(v), TASK_COLOR));
    }
    out.push((
        CHARTS[0],
        bar_chart("一个空闲的线程与一个空闲的任务各占多少内存", &note, &memory),
    ));

    let units = [
        ("thread", "线程", THREAD_COLOR),
        ("tokio_ct", "Tokio 单线程运行时的任务", TASK_COLOR),
        ("tokio_mt", "Tokio 多线程运行时的任务", TASK_COLOR),
        ("smol", "Smol 的任务", TASK_COLOR),
    ];
    let mut spawn = Vec::new();
    let mut ping = Vec::new();
    for (key, label, color) in units {
        let v = r.num(&format!("spawn.{key}_ns"))?;
        spawn.push(bar(label, v, fmt_ns(v), color));
        let v = r.num(&format!("ping_pong.{key}_ns"))?;
        ping.push(bar(label, v, fmt_ns(v), color));
    }
    out.push((CHARTS[1], bar_chart("创建并等待一次的耗时", &note, &spawn)));
    out.push((
        CHARTS[2],
        bar_chart("两个线程或两个任务之间一次消息往返的耗时", &note, &ping),
    ));

    let mut size = Vec::new();
    for (key, label, color) in [
        ("std", "只用标准库", THREAD_COLOR),
        ("tokio", "Tokio", TASK_COLOR),
        ("smol", "Smol", TASK_COLOR),
    ] {
        let v = r.num(&format!("binary_size.release.{key}_bytes"))?;
        size.push(bar(label, v, fmt_bytes(v), color));
    }
    out.push((
        CHARTS[3],
        bar_chart(
            "同一个小程序去掉符号表后的 release 二进制大小",
            &note,
            &size,
        ),
    ));

    let mut pool = Vec::new();
    for (mode, what) in [("one_task", "一个任务"), ("contended", "8 个任务争用")] {
        let v = r.num(&format!("pool.4k.{mode}.alloc_ns"))?;
        pool.push(bar(&format!("{what}：直接分配"), v, fmt_ns(v), TASK_COLOR));
        let v = r.num(&format!("pool.4k.{mode}.pool_ns"))?;
        pool.push(bar(&format!("{what}：内存池"), v, fmt_ns(v), POOL_COLOR));
    }
    out.push((
        CHARTS[4],
        bar_chart(
            "取得并归还一个 4 KiB 缓冲区的耗时（越短越好）",
            &note,
            &pool,
        ),
    ));
    Ok(out)
}

// ---------------------------------------------------------------------------
// 运行

fn read_trim(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn command_line(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().next().map(|l| l.trim().to_string())
}

fn loadavg() -> String {
    read_trim("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "未知".into())
}

/// 今天的日期（UTC），由 Unix 时间换算（Howard Hinnant 的 civil_from_days 算法）。
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn crate_versions(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("无法读取 Cargo.lock：{e}"))?;
    let mut found = Vec::new();
    for name in CRATES {
        let needle = format!("name = \"{name}\"\nversion = \"");
        let version = lock
            .split("[[package]]")
            .find_map(|p| {
                let rest = p.trim_start().strip_prefix(&needle[..])?;
                rest.split('"').next()
            })
            .ok_or_else(|| format!("Cargo.lock 中没有 {name}"))?;
        found.push(format!("{name} {version}"));
    }
    Ok(found.join("、"))
}

fn machine(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    let cpu = read_trim("/proc/cpuinfo")
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get().to_string())
        .unwrap_or_else(|_| "未知".into());
    let memory = read_trim("/proc/meminfo")
        .and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "未知".into());
    let os_name = read_trim("/etc/os-release")
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let kernel = read_trim("/proc/sys/kernel/osrelease").unwrap_or_default();
    let libc = command_line("ldd", &["--version"])
        .and_then(|l| l.split_whitespace().last().map(|v| format!("glibc {v}")))
        .unwrap_or_else(|| "未知的 libc".into());
    let rustc = command_line(
        &std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()),
        &["-V"],
    )
    .ok_or("无法运行 rustc -V")?;
    m.insert("date".into(), today());
    m.insert("machine.cpu".into(), cpu);
    m.insert("machine.cores".into(), cores);
    m.insert("machine.memory".into(), memory);
    m.insert("machine.os".into(), format!("{os_name}，Linux {kernel}"));
    m.insert("machine.libc".into(), libc);
    m.insert("rustc".into(), rustc);
    m.insert("crates".into(), crate_versions(root)?);
    Ok(m)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// 运行全部基准测试，写出结果文件和图表。
pub fn run_all(root: &Path) -> Result<(), String> {
    let benches: Vec<String> = book_tests::listings(root)?
        .into_iter()
        .filter(|l| l.kind == book_tests::ListingKind::Bench)
        .map(|l| l.name)
        .collect();
    if benches.is_empty() {
        return Err("没有找到基准测试示例（文件名含 `-bench-`）".into());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    eprintln!("==> 编译基准测试（release）：{}", benches.join("、"));
    let mut build = Command::new(&cargo);
    build
        .current_dir(root)
        .args(["build", "--release", "--locked", "-p", "listings"]);
    for b in &benches {
        build.args(["--example", b]);
    }
    let status = build
        .status()
        .map_err(|e| format!("无法运行 cargo build：{e}"))?;
    if !status.success() {
        return Err("编译基准测试失败（见上面 cargo 的报错）".into());
    }

    let mut results = Results {
        meta: machine(root)?,
        raw: BTreeMap::new(),
    };
    results.meta.insert("load.before".into(), loadavg());
    eprintln!(
        "    开始时的负载（1、5、15 分钟）：{}",
        results.meta["load.before"]
    );

    let examples = target_dir(root).join("release").join("examples");
    for b in &benches {
        eprintln!("==> 运行 {b}");
        let start = Instant::now();
        let out = Command::new(examples.join(b))
            .current_dir(root)
            .env_remove("BOOK_BENCH")
            .env("CARGO", &cargo)
            .output()
            .map_err(|e| format!("无法运行 {b}：{e}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "{b} 失败（{}）：\n{}\n{stdout}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        eprint!("{stdout}");
        eprintln!("    用时 {:.1} 秒", start.elapsed().as_secs_f64());
        for (k, v) in parse_bench_output(&stdout).map_err(|e| format!("{b}：{e}"))? {
            results.raw.insert(k, v);
        }
    }
    results.meta.insert("load.after".into(), loadavg());

    let file = root.join(RESULTS_FILE);
    std::fs::create_dir_all(file.parent().unwrap()).map_err(|e| e.to_string())?;
    let text = render_results(&results)?;
    // 读回来必须得到同样的数据：tests/figures.rs 正是这样重新生成并比对的。
    if parse_results(&text)? != results {
        return Err("结果文件读回后与测量数据不一致（名字或数值里有“ = ”？）".into());
    }
    std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    for (path, svg) in charts(&results)? {
        std::fs::write(root.join(path), svg).map_err(|e| format!("{path}: {e}"))?;
    }
    eprintln!(
        "\n结果已写入 {RESULTS_FILE} 和 {} 个图表。用 `git diff listings/results` 阅读变化，\
         再用 `cargo xtask build` 查看第 21 章。",
        CHARTS.len()
    );
    Ok(())
}
