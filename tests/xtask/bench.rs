//! `cargo xtask bench`：运行全部基准测试示例，把结果写进 `listings/results/`。
//!
//! 流程：
//! 1. 用 `cargo build --release` 编译每个基准测试示例（文件名含 `-bench-`）；
//! 2. 以完整模式（不设 `BOOK_BENCH=smoke`）逐个运行，收集它们打印的 `名字 = 数值` 行；
//!    第 19 章的迷你 Redis（示例 19-6）与另起的一个 Debian redis-server 由 redis-benchmark
//!    轮流测量（[`redis_bench`]，只连本机回环地址，请求数固定）；第 20 章的待办事项服务
//!    （示例 20-6）由 wrk 施加两种负载，每种的时间固定（[`http_bench`]）；
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
# 《Rust 异步编程指南》第 14 章、第 19 章、第 20 章与第 21 章的测量结果。
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
    "redis",
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
    "axum",
    "hyper",
    "sqlx",
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

/// 吞吐量：只保留三位有效数字（899,281 → 899,000 次/秒）。一次测量的误差远大于千分之一，
/// 多写的位数只会让读者以为它们有意义。
fn fmt_rate(v: f64) -> String {
    if v <= 0.0 {
        return "0 次/秒".to_string();
    }
    let digits = v.log10().floor() as i32;
    let scale = 10f64.powi((digits - 2).max(0));
    format!("{} 次/秒", thousands(((v / scale).round() * scale) as u64))
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
    put("redis_version", r.meta("redis")?.to_string());
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

    // 示例 14-12：一把锁、分片与 Actor。每次操作的平均耗时 = 总用时 / 总操作数，
    // 两个工作线程真正并行、互不妨碍时，它应当减半。
    for w in ["w1", "w2"] {
        for v in ["single", "sharded", "actor"] {
            put(
                &format!("shared_map_{w}_{v}"),
                fmt_ns(r.num(&format!("shared_map.{w}.{v}_ns"))?),
            );
        }
    }
    for v in ["single", "sharded", "actor"] {
        put(
            &format!("shared_map_{v}_w2_vs_w1"),
            fmt_change(
                r.num(&format!("shared_map.w2.{v}_ns"))?,
                r.num(&format!("shared_map.w1.{v}_ns"))?,
            ),
        );
    }
    for w in ["w1", "w2"] {
        let single = r.num(&format!("shared_map.{w}.single_ns"))?;
        put(
            &format!("shared_map_{w}_sharded_vs_single"),
            fmt_change(r.num(&format!("shared_map.{w}.sharded_ns"))?, single),
        );
        put(
            &format!("shared_map_{w}_actor_vs_single"),
            fmt_ratio(r.num(&format!("shared_map.{w}.actor_ns"))? / single),
        );
    }

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

    f.extend(redis_figures(r)?);
    f.extend(http_figures(r)?);
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
    m.insert("redis".into(), redis_versions()?);
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
    build.args(["--example", REDIS_LISTING]);
    build.args(["--example", HTTP_LISTING]);
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
    results.raw.extend(redis_bench(&examples)?);
    results.raw.extend(http_bench(&examples)?);
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

// ---------------------------------------------------------------------------
// 第 19 章：迷你 Redis 与 Debian 的 redis-server，由同一个 redis-benchmark 测量

/// 迷你 Redis 的服务器示例。
pub const REDIS_LISTING: &str = "ch19-06-server";
/// 轮数：每一轮把两个服务器在每种发送方式下各测一次（轮流先测谁），最后取中位数。
const REDIS_ROUNDS: usize = 3;
/// 发送方式：（名字，每个连接一次发几条命令，SET 与 GET 各多少次）。都是 50 个连接
/// （redis-benchmark 的默认值）、3 字节的值；`p16` 是管线化，`p1` 发一条等一条。
const REDIS_MODES: &[(&str, u32, u64)] = &[("p16", 16, 500_000), ("p1", 1, 100_000)];
/// 两个服务器：（结果里的名字，说明）。
const REDIS_SERVERS: &[(&str, &str)] = &[("mini", "迷你 Redis"), ("server", "redis-server")];

/// 第 19 章的数字：每秒请求数、服务器每个请求花的 CPU 时间（用户态、内核态）、
/// 两个服务器之比、管线化带来的倍数。
pub fn redis_figures(r: &Results) -> Result<Vec<(String, String)>, String> {
    let mut f = Vec::new();
    let num =
        |server: &str, mode: &str, what: &str| r.num(&format!("redis.{server}.{mode}.{what}"));
    for (mode, _, _) in REDIS_MODES {
        for test in ["set", "get"] {
            let what = format!("{test}_rps");
            for (server, _) in REDIS_SERVERS {
                f.push((
                    format!("redis_{server}_{mode}_{test}"),
                    fmt_rate(num(server, mode, &what)?),
                ));
            }
            let ratio = num("mini", mode, &what)? / num("server", mode, &what)?;
            f.push((
                format!("redis_{mode}_{test}_ratio"),
                format!("{}%", (ratio * 100.0).round() as i64),
            ));
        }
        for (server, _) in REDIS_SERVERS {
            for part in ["user", "sys"] {
                f.push((
                    format!("redis_{server}_{mode}_{part}"),
                    fmt_ns(num(server, mode, &format!("{part}_ns"))?),
                ));
            }
        }
        f.push((
            format!("redis_{mode}_user_ratio"),
            fmt_ratio(num("mini", mode, "user_ns")? / num("server", mode, "user_ns")?),
        ));
        // 测量期间服务器平均占用几个核心：CPU 时间除以用时（SET 与 GET 各跑 n 次）。
        for (server, _) in REDIS_SERVERS {
            let cpu_per_request = num(server, mode, "user_ns")? + num(server, mode, "sys_ns")?;
            let seconds_per_request =
                (1.0 / num(server, mode, "set_rps")? + 1.0 / num(server, mode, "get_rps")?) / 2.0;
            f.push((
                format!("redis_{server}_{mode}_cores"),
                format!(
                    "{} 个核心",
                    sig(cpu_per_request / 1e9 / seconds_per_request)
                ),
            ));
        }
    }
    for (server, _) in REDIS_SERVERS {
        for test in ["set", "get"] {
            let what = format!("{test}_rps");
            f.push((
                format!("redis_{server}_{test}_pipelining_gain"),
                fmt_ratio(num(server, "p16", &what)? / num(server, "p1", &what)?),
            ));
        }
    }
    Ok(f)
}

/// 从 `redis-benchmark --csv` 的输出里取出每个测试的每秒请求数（`"SET","812345.00",…`）。
pub fn parse_redis_csv(csv: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    for line in csv
        .lines()
        .skip_while(|l| !l.starts_with("\"test\""))
        .skip(1)
    {
        let cells: Vec<&str> = line.split(',').map(|c| c.trim_matches('"')).collect();
        let (Some(test), Some(rps)) = (cells.first(), cells.get(1)) else {
            continue;
        };
        let rps: f64 = rps
            .parse()
            .map_err(|_| format!("redis-benchmark 的输出无法解析：`{line}`"))?;
        out.push((test.to_ascii_lowercase(), rps));
    }
    if out.is_empty() {
        return Err(format!("redis-benchmark 没有输出结果：\n{csv}"));
    }
    Ok(out)
}

/// 一个被测的服务器进程；结束时（包括出错返回时）被杀掉。
struct RedisProcess(std::process::Child);

impl Drop for RedisProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl RedisProcess {
    /// 进程（全部线程）到现在为止用掉的 CPU 时间：（用户态，内核态），单位是时钟滴答
    /// （`/proc/<pid>/stat` 的第 14、15 项）。
    fn cpu_ticks(&self) -> Result<(u64, u64), String> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.0.id()))
            .map_err(|e| format!("读不到被测服务器的 /proc/<pid>/stat：{e}"))?;
        // 第 2 项是括号里的程序名，可能含空格：从最后一个右括号之后数起（那是第 3 项）。
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
        match (tick(11), tick(12)) {
            (Some(user), Some(system)) => Ok((user, system)),
            _ => Err(format!("无法解析 /proc/{}/stat：{stat}", self.0.id())),
        }
    }
}

fn tool_version(tool: &str) -> Result<String, String> {
    let out = Command::new(tool).arg("--version").output().map_err(|e| {
        format!(
            "找不到 {tool}（{e}）：第 19 章的基准测试需要 Debian 的 redis-tools 与 redis-server，\
             `cargo xtask bench` 会安装它们（需要 root 或免密码的 sudo）"
        )
    })?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// 启动示例 19-6（release 构建），从它的第一行输出读出端口。
fn start_mini_redis(examples: &Path) -> Result<(RedisProcess, u16), String> {
    use std::io::BufRead;
    let exe = examples.join(REDIS_LISTING);
    let mut child = Command::new(&exe)
        .arg("127.0.0.1:0")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法启动 {}：{e}", exe.display()))?;
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .map_err(|e| format!("{REDIS_LISTING}：读不到监听地址：{e}"))?;
    let port = first
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("{REDIS_LISTING}：第一行 `{}` 不以地址结尾", first.trim()))?;
    Ok((RedisProcess(child), port))
}

/// 另起一个 redis-server：只监听回环地址上一个空闲的端口，不持久化，不以守护进程运行。
fn start_redis_server() -> Result<(RedisProcess, u16), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("找不到空闲端口：{e}"))?
        .port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("无法启动 redis-server：{e}"))?;
    let process = RedisProcess(child);
    // 等它开始接受连接（最多 5 秒）。
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > std::time::Duration::from_secs(5) {
            return Err(format!("redis-server 5 秒内没有在端口 {port} 上接受连接"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Ok((process, port))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// 结果里记下的 redis-server 与 redis-benchmark 的版本（[`machine`] 调用）。
pub fn redis_versions() -> Result<String, String> {
    let server = tool_version("redis-server")?;
    let benchmark = tool_version("redis-benchmark")?;
    server
        .split_whitespace()
        .find_map(|w| w.strip_prefix("v="))
        .map(|v| format!("redis-server {v}、{benchmark}"))
        .ok_or_else(|| format!("无法从 `{server}` 读出 redis-server 的版本"))
}

/// 用 redis-benchmark 轮流测量迷你 Redis 与 redis-server，返回原始数据（`redis.` 开头）。
/// 除了 redis-benchmark 报告的每秒请求数，还记下服务器进程在每次测量中用掉的 CPU 时间
/// （用户态、内核态分开），折算成每个请求的纳秒数：客户端与服务器共用一台机器，
/// 吞吐量是整台机器的结果，CPU 时间才是服务器自己的开销。
pub fn redis_bench(examples: &Path) -> Result<Vec<(String, String)>, String> {
    let ticks_per_second: f64 = command_line("getconf", &["CLK_TCK"])
        .and_then(|t| t.parse().ok())
        .ok_or("无法运行 getconf CLK_TCK")?;
    let servers = [start_mini_redis(examples)?, start_redis_server()?];
    let started = Instant::now();
    // （结果里的名字）→ 每一轮的数值
    let mut samples: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for round in 0..REDIS_ROUNDS {
        for &(mode, pipeline, requests) in REDIS_MODES {
            for i in 0..servers.len() {
                // 轮流先测谁，免得机器状态的变化总是偏向同一个服务器。
                let which = (i + round) % servers.len();
                let (process, port) = &servers[which];
                let (key, name) = REDIS_SERVERS[which];
                let before = process.cpu_ticks()?;
                let out = Command::new("redis-benchmark")
                    .args(["-h", "127.0.0.1", "-p", &port.to_string()])
                    .args(["-t", "set,get", "--csv"])
                    .args(["-P", &pipeline.to_string(), "-n", &requests.to_string()])
                    .stdin(std::process::Stdio::null())
                    .output()
                    .map_err(|e| format!("无法运行 redis-benchmark：{e}"))?;
                let after = process.cpu_ticks()?;
                if !out.status.success() {
                    return Err(format!(
                        "redis-benchmark 测量 {name} 失败（{}）：{}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                let mut put = |what: String, v: f64| {
                    eprintln!("    第 {} 轮 {name} {mode} {what}：{v:.0}", round + 1);
                    samples
                        .entry(format!("redis.{key}.{mode}.{what}"))
                        .or_default()
                        .push(v);
                };
                for (test, rps) in parse_redis_csv(&String::from_utf8_lossy(&out.stdout))? {
                    put(format!("{test}_rps"), rps);
                }
                // 折算到每个请求（SET 与 GET 各 requests 次）。
                let per_request =
                    |ticks: u64| ticks as f64 / ticks_per_second * 1e9 / (2 * requests) as f64;
                put("user_ns".into(), per_request(after.0 - before.0));
                put("sys_ns".into(), per_request(after.1 - before.1));
            }
        }
    }
    eprintln!("    用时 {:.1} 秒", started.elapsed().as_secs_f64());
    Ok(samples
        .into_iter()
        .map(|(key, v)| (key, format!("{:.0}", median(v))))
        .collect())
}

// ---------------------------------------------------------------------------
// 第 20 章：用 wrk 压测待办事项服务（示例 20-6）

/// 待办事项服务的示例。
pub const HTTP_LISTING: &str = "ch20-06-server";
/// wrk 的参数：线程数、连接数、每种负载测量的秒数（之前另有 1 秒预热，不计入）。
const WRK_THREADS: u32 = 2;
const WRK_CONNECTIONS: u32 = 32;
const WRK_SECONDS: u32 = 5;
/// 两种负载：（结果里的名字，方法，路径，JSON 请求体）。读的是压测前插入的那一条。
const HTTP_LOADS: &[(&str, &str, &str, &str)] = &[
    ("get", "GET", "/todos/1", ""),
    ("post", "POST", "/todos", r#"{"title":"压测"}"#),
];

/// 第 20 章的数字：每秒请求数、延迟的百分位数、服务器每个请求花的 CPU 时间、wrk 的参数。
pub fn http_figures(r: &Results) -> Result<Vec<(String, String)>, String> {
    let mut f = Vec::new();
    for (load, ..) in HTTP_LOADS {
        let num = |what: &str| r.num(&format!("http.{load}.{what}"));
        f.push((
            format!("http_{load}_rps"),
            fmt_rate(num("requests_per_sec")?),
        ));
        for p in ["p50", "p90", "p99"] {
            f.push((
                format!("http_{load}_{p}"),
                fmt_ns(num(&format!("latency_{p}_us"))? * 1_000.0),
            ));
        }
        f.push((
            format!("http_{load}_cpu"),
            fmt_ns(num("server_cpu_us")? * 1_000.0),
        ));
        // 服务器平均占用几个核：每秒请求数乘每个请求的 CPU 时间。
        f.push((
            format!("http_{load}_cores"),
            format!(
                "{} 个核",
                sig(num("requests_per_sec")? * num("server_cpu_us")? / 1e6)
            ),
        ));
        f.push((format!("http_{load}_requests"), fmt_count(num("requests")?)));
    }
    let date = r.num("http.date")? as u64;
    f.push((
        "http_date".to_string(),
        format!(
            "{}-{:02}-{:02}",
            date / 10_000,
            date / 100 % 100,
            date % 100
        ),
    ));
    f.push((
        "http_wrk".to_string(),
        format!(
            "{} 个线程、{} 个连接，每种负载 {} 秒",
            r.num("http.wrk.threads")?,
            r.num("http.wrk.connections")?,
            r.num("http.wrk.seconds")?
        ),
    ));
    Ok(f)
}

/// wrk 报告的一次测量。
#[derive(Debug, Default, PartialEq)]
pub struct WrkReport {
    pub requests: f64,
    pub requests_per_sec: f64,
    /// 延迟的百分位数（50、75、90、99），单位微秒。
    pub latency_us: Vec<(u32, f64)>,
    /// 状态码不是 2xx、3xx 的响应数，以及套接字错误数（连接、读、写、超时）。
    pub non_2xx: f64,
    pub socket_errors: f64,
}

/// 解析 `wrk --latency` 的输出。时间带单位（`620.00us`、`1.25ms`、`1.02s`），一律换算成微秒。
pub fn parse_wrk(out: &str) -> Result<WrkReport, String> {
    fn micros(v: &str) -> Option<f64> {
        for (unit, scale) in [("us", 1.0), ("ms", 1e3), ("m", 60e6), ("s", 1e6)] {
            if let Some(n) = v.strip_suffix(unit) {
                return n.parse::<f64>().ok().map(|n| n * scale);
            }
        }
        None
    }
    let bad = |line: &str| format!("无法解析 wrk 的输出：`{line}`");
    let mut report = WrkReport::default();
    let mut in_distribution = false;
    for line in out.lines() {
        let t = line.trim();
        if t.starts_with("Latency Distribution") {
            in_distribution = true;
        } else if in_distribution
            && t.ends_with(|c: char| c.is_ascii_alphabetic())
            && t.contains('%')
        {
            let (p, v) = t.split_once('%').ok_or_else(|| bad(t))?;
            let p: u32 = p.trim().parse().map_err(|_| bad(t))?;
            report
                .latency_us
                .push((p, micros(v.trim()).ok_or_else(|| bad(t))?));
        } else if let Some(rest) = t.strip_prefix("Requests/sec:") {
            report.requests_per_sec = rest.trim().parse().map_err(|_| bad(t))?;
        } else if t.contains(" requests in ") {
            in_distribution = false;
            let n = t.split_whitespace().next().ok_or_else(|| bad(t))?;
            report.requests = n.parse().map_err(|_| bad(t))?;
        } else if let Some(rest) = t.strip_prefix("Non-2xx or 3xx responses:") {
            report.non_2xx = rest.trim().parse().map_err(|_| bad(t))?;
        } else if let Some(rest) = t.strip_prefix("Socket errors:") {
            // connect 0, read 0, write 0, timeout 0
            for part in rest.split(',') {
                let n = part.split_whitespace().nth(1).ok_or_else(|| bad(t))?;
                report.socket_errors += n.parse::<f64>().map_err(|_| bad(t))?;
            }
        }
    }
    if report.requests == 0.0 || report.requests_per_sec == 0.0 || report.latency_us.len() != 4 {
        return Err(format!(
            "wrk 的输出里没有完整的结果（要用 --latency）：\n{out}"
        ));
    }
    Ok(report)
}

/// 一个被测的服务器进程：正常结束时发 SIGINT 让它优雅退出（它会删掉临时数据库），
/// 出错返回时在 `Drop` 里杀掉。
struct HttpProcess(std::process::Child);

impl Drop for HttpProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// 发一个 HTTP/1.1 请求（`Connection: close`），返回状态行。
fn http_status_line(addr: &str, method: &str, path: &str, body: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| format!("连不上 {addr}：{e}"))?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).map_err(|e| e.to_string())?;
    Ok(reply.lines().next().unwrap_or("").to_string())
}

/// 用 wrk 测量示例 20-6（release 构建）：先插入一条，再依次施加 [`HTTP_LOADS`]。
/// 服务器用默认的日志级别 info：成功的请求不写日志（它们记在 debug 级别）。
pub fn http_bench(examples: &Path) -> Result<Vec<(String, String)>, String> {
    use std::io::BufRead;
    if Command::new("wrk").arg("--version").output().is_err() {
        return Err(
            "找不到 wrk：第 20 章的基准测试用 Debian 的 wrk 包施加负载，\
                    先运行 `cargo xtask tools` 安装它（需要 root 或免密码的 sudo）"
                .into(),
        );
    }
    let ticks_per_second: f64 = command_line("getconf", &["CLK_TCK"])
        .and_then(|t| t.parse().ok())
        .ok_or("无法运行 getconf CLK_TCK")?;
    let exe = examples.join(HTTP_LISTING);
    eprintln!("==> 用 wrk 压测 {HTTP_LISTING}");
    let child = Command::new(&exe)
        .arg("127.0.0.1:0")
        .env_remove("LOG_LEVEL")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法启动 {}：{e}", exe.display()))?;
    let mut server = HttpProcess(child);
    let stdout = server.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // 一直读到服务器关闭标准输出，免得管道写满时服务器卡住。
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .map_err(|_| format!("{HTTP_LISTING} 10 秒内没有打印监听地址"))?;
    if !first.contains("正在监听") {
        return Err(format!("{HTTP_LISTING} 的第一行不是监听地址：{first}"));
    }
    let addr = first.split_whitespace().last().unwrap_or("").to_string();
    let status = http_status_line(&addr, "POST", "/todos", r#"{"title":"被压测读取的那一条"}"#)?;
    if !status.contains(" 201 ") {
        return Err(format!("插入第一条失败：{status}"));
    }
    let script = std::env::temp_dir().join(format!("ch20-wrk-{}.lua", std::process::id()));
    let mut raw = vec![
        // 测量的日期（20261130 这样的数）：`cargo xtask bench http` 只重测这一部分时，
        // 结果文件开头的日期仍是上一次完整测量的，书中引用这一个。
        ("http.date".to_string(), today().replace('-', "")),
        ("http.wrk.threads".to_string(), WRK_THREADS.to_string()),
        (
            "http.wrk.connections".to_string(),
            WRK_CONNECTIONS.to_string(),
        ),
        ("http.wrk.seconds".to_string(), WRK_SECONDS.to_string()),
    ];
    for &(load, method, path, body) in HTTP_LOADS {
        // wrk 的请求由 Lua 脚本改写：方法、请求体和请求头。
        let lua = format!(
            "wrk.method = \"{method}\"\nwrk.body = '{body}'\n\
             wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        );
        std::fs::write(&script, lua).map_err(|e| format!("{}: {e}", script.display()))?;
        let url = format!("http://{addr}{path}");
        let wrk = |seconds: u32| {
            Command::new("wrk")
                .args([
                    "-t",
                    &WRK_THREADS.to_string(),
                    "-c",
                    &WRK_CONNECTIONS.to_string(),
                ])
                .args(["-d", &format!("{seconds}s"), "--latency", "-s"])
                .arg(&script)
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(|e| format!("无法运行 wrk：{e}"))
        };
        // 预热：连接池开满连接、SQLite 的页缓存热起来。
        wrk(1)?;
        let cpu_before = process_cpu_ticks(server.0.id())?;
        let out = wrk(WRK_SECONDS)?;
        let cpu = (process_cpu_ticks(server.0.id())? - cpu_before) as f64 / ticks_per_second;
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "wrk 失败（{}）：{}{text}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        eprint!("{text}");
        let report = parse_wrk(&text)?;
        if report.non_2xx > 0.0 || report.socket_errors > 0.0 {
            return Err(format!(
                "{method} {path}：{} 个响应不是 2xx，{} 个套接字错误；这样的测量没有意义",
                report.non_2xx, report.socket_errors
            ));
        }
        let key = |what: &str| format!("http.{load}.{what}");
        raw.push((key("requests"), format!("{:.0}", report.requests)));
        raw.push((
            key("requests_per_sec"),
            format!("{:.0}", report.requests_per_sec),
        ));
        for (p, us) in &report.latency_us {
            raw.push((key(&format!("latency_p{p}_us")), format!("{us:.0}")));
        }
        raw.push((
            key("server_cpu_us"),
            format!("{:.1}", cpu * 1e6 / report.requests),
        ));
    }
    let _ = std::fs::remove_file(&script);
    // 优雅退出：服务器删掉自己的临时数据库。
    let _ = Command::new("kill")
        .args(["-s", "INT", &server.0.id().to_string()])
        .status();
    let _ = server.0.wait();
    Ok(raw)
}

/// 进程（全部线程）到现在为止用掉的 CPU 时间，单位是时钟滴答（`/proc/<pid>/stat` 的第 14、15 项）。
fn process_cpu_ticks(pid: u32) -> Result<u64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("读不到 /proc/{pid}/stat：{e}"))?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
    match (tick(11), tick(12)) {
        (Some(user), Some(system)) => Ok(user + system),
        _ => Err(format!("无法解析 /proc/{pid}/stat：{stat}")),
    }
}

/// 单独测量一部分的函数：返回这一部分的原始数据。
type Measure = fn(&Path) -> Result<Vec<(String, String)>, String>;

/// `cargo xtask bench 部分`：只重新测量一部分，其余数据和机器信息保留结果文件里原有的。
/// 用来在改动一章时单独更新它的数字；发布前仍应运行完整的 `cargo xtask bench`，
/// 让全部数字出自同一次测量。
pub fn run_part(root: &Path, part: &str) -> Result<(), String> {
    let (listing, measure): (&str, Measure) = match part {
        "http" => (HTTP_LISTING, http_bench),
        "redis" => (REDIS_LISTING, redis_bench),
        _ => {
            return Err(format!(
                "不认识的部分 `{part}`；可以单独测量的部分：http、redis"
            ));
        }
    };
    let file = root.join(RESULTS_FILE);
    let mut results = parse_results(
        &std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?,
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "listings",
            "--example",
            listing,
        ])
        .status()
        .map_err(|e| format!("无法运行 cargo build：{e}"))?;
    if !status.success() {
        return Err(format!("编译 {listing} 失败（见上面 cargo 的报错）"));
    }
    let examples = target_dir(root).join("release").join("examples");
    let prefix = format!("{part}.");
    results.raw.retain(|k, _| !k.starts_with(&prefix));
    results.raw.extend(measure(&examples)?);
    if part == "redis" {
        results.meta.insert("redis".into(), redis_versions()?);
    }
    let text = render_results(&results)?;
    if parse_results(&text)? != results {
        return Err("结果文件读回后与测量数据不一致".into());
    }
    std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    eprintln!("\n{RESULTS_FILE} 中 `{prefix}*` 的数据已更新，其余保持原样。");
    Ok(())
}
