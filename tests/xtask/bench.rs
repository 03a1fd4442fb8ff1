//! `cargo xtask bench`：运行全部基准测试示例，把结果写进 `listings/results/`。
//!
//! 流程：
//! 1. 用 `cargo build --release` 编译每个基准测试示例（文件名含 `-bench-`），以及只由这里编译的
//!    `listings/alloc-bench`（示例 21-3 换上 jemalloc、mimalloc，构建目录 `target/alloc-bench`）；
//! 2. 检查负载：1 分钟平均负载超过核心数的四分之一（[`LOAD_PER_CORE`]）时先等它降下来，
//!    等不到就拒绝测量，除非设置了 `BENCH_ALLOW_LOAD=1`（这样的结果在结果文件与书中都标明）；
//! 3. 以完整模式（不设 `BOOK_BENCH=smoke`）逐个运行，收集它们每一轮打印的 `名字 = 数值` 行，
//!    同时把进度（哪个测试、第几轮、用了多久）打印到标准错误。基准测试先测一轮预热（不计入），
//!    再让几个变体逐轮交替（见 `listings/examples/bench-support/rounds.rs`）；
//!    第 19 章的迷你 Redis（示例 19-6）与另起的一个 Debian redis-server 由 redis-benchmark
//!    轮流测量（[`redis_bench`]）；第 20 章的待办事项服务（示例 20-6）由 wrk 施加两种负载
//!    （[`http_bench`]）；
//! 4. 记下机器（CPU 型号、核心数、内存、内核、libc 与分配器）、rustc 与 crate 版本、日期和
//!    开始、结束时的负载；
//! 5. 写出结果文件 [`RESULTS_FILE`]：机器信息、每一轮的原始数据，以及由原始数据算出的、
//!    书中引用的数字（中位数和四分位距；每个数字一个 mdBook 锚点）；
//! 6. 从同一份数据生成 SVG 图表（[`CHARTS`]，条是中位数，粗线是四分位距，细线是最小到最大），
//!    章节整体引入。
//!
//! 结果文件中“书中引用的数字”和图表完全由原始数据决定：`tests/figures.rs`
//! 用这里的 [`render_results`] 与 [`charts`] 重新生成它们并逐字比对，手工改动会被发现。
//!
//! 比较的规则（第 21 章 21.2.6 节向读者说明）：两个变体各轮数值的四分位距（中间一半）不重叠，
//! 才说谁快谁慢、快多少（按中位数算）；重叠就写“差别在波动范围内”。

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// 结果文件（相对仓库根目录）。
pub const RESULTS_FILE: &str = "listings/results/bench.txt";

/// 结果文件的标题注释。
const HEADER: &str = "\
# 《Rust 异步编程指南》第 1、10、14、19、20、21 章引用的测量结果。
# 由 `cargo xtask bench` 生成，不要手工编辑：tests/figures.rs 会从下面的原始数据
# 重新算出书中引用的数字和图表，与这个文件和 listings/results/*.svg 逐字比对。
# 原始数据一行一项，等号后面是各轮的数值，按测量的先后排列（预热的一轮不在其中）。
";

/// 机器与版本信息的键，按写入顺序排列。
pub const META_KEYS: &[&str] = &[
    "date",
    "machine.cpu",
    "machine.cores",
    "machine.memory",
    "machine.os",
    "machine.libc",
    "machine.allocator",
    "rustc",
    "crates",
    "redis",
    "load.before",
    "load.after",
    "load.limit",
    "load.forced",
];

/// 1 分钟平均负载的上限，按每个核心计：超过核心数的四分之一，说明平均有四分之一个核心以上
/// 被别的程序占着，两个线程的基准测试就有可观的时间在和它们抢 CPU。
pub const LOAD_PER_CORE: f64 = 0.25;

/// 设置了这个环境变量（值为 1）时，负载高也照样测量，结果标明是强制测量的。
pub const ALLOW_LOAD_ENV: &str = "BENCH_ALLOW_LOAD";

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

/// 示例 21-3 比较的三种分配器：（结果里的名字，书中的名字）。
pub const ALLOCATORS: &[(&str, &str)] = &[
    ("glibc", "glibc malloc"),
    ("jemalloc", "jemalloc"),
    ("mimalloc", "mimalloc"),
];

/// 示例 21-3 的三种缓冲区大小：（结果里的名字，书中的写法）。
pub const POOL_SIZES: &[(&str, &str)] = &[("4k", "4 KiB"), ("1m", "1 MiB"), ("64m", "64 MiB")];

/// 只由 `cargo xtask bench` 编译的分配器对比包（不属于工作区）。
pub const ALLOC_BENCH_DIR: &str = "listings/alloc-bench";

/// 一次测量的全部结果。
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Results {
    /// 机器与版本信息（键见 [`META_KEYS`]）。
    pub meta: BTreeMap<String, String>,
    /// 基准测试打印的原始数值：各轮的数值以空格分隔，原样保存为文本，
    /// 重新生成时不受浮点格式化影响。
    pub raw: BTreeMap<String, String>,
}

/// 一项数据各轮数值的分布。
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub min: f64,
    /// 下四分位数：排好序后较小的一半数值的中位数。轮数是奇数时，正中间的那个数（中位数）
    /// 不算进任何一半（Moore 与 McCabe 的取法；Tukey 的 hinge 把它算进两半，范围更窄）：
    /// 15 轮时就是第 4 小的数，5 轮时是最小两个数的平均。
    pub q1: f64,
    pub median: f64,
    /// 上四分位数：较大的一半数值的中位数（15 轮时是第 4 大的数）。
    pub q3: f64,
    pub max: f64,
    pub n: usize,
}

/// 已排好序的数的中位数。
fn median_of(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

impl Stat {
    pub fn of(mut v: Vec<f64>) -> Stat {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let (q1, q3) = if n < 2 {
            (v[0], v[0])
        } else {
            (median_of(&v[..n / 2]), median_of(&v[n.div_ceil(2)..]))
        };
        Stat {
            min: v[0],
            q1,
            median: median_of(&v),
            q3,
            max: v[n - 1],
            n,
        }
    }

    /// 两项的四分位距（中间一半的数值）不重叠：只有这时才说谁大谁小。
    pub fn separated(&self, other: &Stat) -> bool {
        self.q3 < other.q1 || other.q3 < self.q1
    }
}

impl Results {
    fn meta(&self, key: &str) -> Result<&str, String> {
        self.meta
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| format!("结果中缺少 `{key}`"))
    }

    /// 一项数据的各轮数值。
    pub fn values(&self, key: &str) -> Result<Vec<f64>, String> {
        let v = self.raw.get(key).ok_or_else(|| {
            format!("结果中缺少 `{key}`：对应的基准测试没有运行，或没有打印这一项")
        })?;
        let values = v
            .split_whitespace()
            .map(|x| {
                x.parse()
                    .map_err(|_| format!("`{key} = {v}` 中 `{x}` 不是数字"))
            })
            .collect::<Result<Vec<f64>, String>>()?;
        if values.is_empty() {
            return Err(format!("`{key}` 没有数值"));
        }
        Ok(values)
    }

    /// 一项数据的分布。
    pub fn stat(&self, key: &str) -> Result<Stat, String> {
        Ok(Stat::of(self.values(key)?))
    }

    /// 一项数据的中位数（只测一轮的项就是那个数）。
    pub fn num(&self, key: &str) -> Result<f64, String> {
        Ok(self.stat(key)?.median)
    }
}

/// 从基准测试的一行标准输出中取出 `名字 = 数值`（`#` 开头的是说明）；同一个名字每轮一行。
fn parse_bench_line(line: &str) -> Result<Option<(String, String)>, String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let Some((key, value)) = line.split_once(" = ") else {
        return Ok(None);
    };
    let value = value.split_whitespace().next().unwrap_or("");
    if value.parse::<f64>().is_err() {
        return Err(format!("无法解析的结果行：`{line}`"));
    }
    Ok(Some((key.trim().to_string(), value.to_string())))
}

/// 把一轮的数值追加到一项数据上。
fn push_round(raw: &mut BTreeMap<String, String>, key: String, value: String) {
    raw.entry(key)
        .and_modify(|v| {
            v.push(' ');
            v.push_str(&value);
        })
        .or_insert(value);
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

/// 范围重叠时代替比较结果的说法。
pub const WITHIN_NOISE: &str = "差别在波动范围内";

/// 中位数连同四分位距（中间一半的数值所在的范围）：`147 纳秒（139–160 纳秒）`；
/// 只测了一轮或中间一半相同时只有一个数。范围两端的单位相同时只写一次，中位数总带单位。
pub fn fmt_stat(s: &Stat, f: fn(f64) -> String) -> String {
    let (lo, mid, hi) = (f(s.q1), f(s.median), f(s.q3));
    if s.n == 1 || lo == hi {
        return mid;
    }
    let split = |t: &str| {
        t.rsplit_once(' ')
            .map(|(n, u)| (n.to_string(), u.to_string()))
            .unwrap_or((t.to_string(), String::new()))
    };
    let ((lo_n, lo_u), (hi_n, hi_u)) = (split(&lo), split(&hi));
    if lo_u == hi_u {
        format!("{mid}（{lo_n}–{hi_n} {hi_u}）")
    } else {
        format!("{mid}（{lo}–{hi}）")
    }
}

/// `new` 相对 `base` 的耗时变化：四分位距不重叠时按中位数写“慢 40%”“快 12%”“耗时是 2.5 倍”，
/// 重叠时写 [`WITHIN_NOISE`]。
pub fn fmt_change(new: &Stat, base: &Stat) -> String {
    if !new.separated(base) {
        return WITHIN_NOISE.to_string();
    }
    let ratio = new.median / base.median;
    let pct = (ratio - 1.0) * 100.0;
    if ratio >= 2.0 {
        format!("慢，耗时是 {}", fmt_ratio(ratio))
    } else if pct >= 0.5 {
        format!("慢 {}%", pct.round() as i64)
    } else if pct > -0.5 {
        // 范围不重叠、中位数却几乎相同：只说方向。
        if pct > 0.0 { "略慢" } else { "略快" }.to_string()
    } else {
        format!("快 {}%", (-pct).round() as i64)
    }
}

/// `a` 是 `b` 的几倍（按中位数）；四分位距重叠时写 [`WITHIN_NOISE`]。
pub fn fmt_ratio_of(a: &Stat, b: &Stat) -> String {
    if a.separated(b) {
        fmt_ratio(a.median / b.median)
    } else {
        WITHIN_NOISE.to_string()
    }
}

// ---------------------------------------------------------------------------
// 书中引用的数字

/// 测量时的负载是否超过了上限（强制测量）。
fn forced(r: &Results) -> Result<bool, String> {
    Ok(r.meta("load.forced")? == "是")
}

/// 书中引用的全部数字：（锚点名，显示的文本）。
pub fn figures(r: &Results) -> Result<Vec<(String, String)>, String> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, text: String| f.push((name.to_string(), text));

    // 机器与版本。
    put(
        "machine",
        format!(
            "{}（{} 个核心，{} 内存），{}，{}，分配器 {}",
            r.meta("machine.cpu")?,
            r.meta("machine.cores")?,
            r.meta("machine.memory")?,
            r.meta("machine.os")?,
            r.meta("machine.libc")?,
            r.meta("machine.allocator")?
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
    let before: f64 = r
        .meta("load.before")?
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or("`load.before` 不是三个数")?;
    put(
        "load_note",
        if forced(r)? {
            format!(
                "**注意：这次测量是在负载过高的机器上强制进行的**（开始时 1 分钟平均负载 {before}，\
                 超过了上限 {}，即核心数的四分之一）。别的程序和测量争用 CPU，下面的数字偏慢、\
                 波动偏大，只能作参考；在空闲的机器上重新运行 `cargo xtask bench` 会得到更可信的结果。",
                r.meta("load.limit")?
            )
        } else {
            format!(
                "测量开始时 1 分钟平均负载 {before}，在上限 {}（核心数的四分之一）以内。",
                r.meta("load.limit")?
            )
        },
    );

    // 各基准测试的轮数（取一个有代表性的项）。
    for (name, key) in [
        ("rounds_pool", "pool.glibc.4k.one_task.alloc_ns"),
        (
            "rounds_task_memory",
            "task_memory.tokio_mt.payload0.heap_bytes",
        ),
        ("rounds_spawn", "spawn.thread_ns"),
        ("rounds_ping_pong", "ping_pong.thread_ns"),
        ("rounds_shared_map", "shared_map.w1.single_ns"),
    ] {
        put(name, format!("{} 轮", r.stat(key)?.n));
    }

    // 示例 21-3：内存池，三种分配器。
    let mut faster = 0;
    let mut slower = 0;
    let mut same = 0;
    for (a, _) in ALLOCATORS {
        for (size, _) in POOL_SIZES {
            for mode in ["one_task", "contended"] {
                let alloc = r.stat(&format!("pool.{a}.{size}.{mode}.alloc_ns"))?;
                let pool = r.stat(&format!("pool.{a}.{size}.{mode}.pool_ns"))?;
                put(
                    &format!("pool_{a}_{size}_{mode}_alloc"),
                    fmt_stat(&alloc, fmt_ns),
                );
                put(
                    &format!("pool_{a}_{size}_{mode}_pool"),
                    fmt_stat(&pool, fmt_ns),
                );
                put(
                    &format!("pool_{a}_{size}_{mode}_change"),
                    fmt_change(&pool, &alloc),
                );
                if !pool.separated(&alloc) {
                    same += 1;
                } else if pool.median < alloc.median {
                    faster += 1;
                } else {
                    slower += 1;
                }
            }
        }
    }
    put(
        "pool_summary",
        format!(
            "{} 种情形中，内存池明显更快的 {faster} 种，明显更慢的 {slower} 种，差别在波动范围内的 {same} 种",
            faster + slower + same
        ),
    );
    // 不用内存池时，换一种分配器的效果：直接分配的耗时相对 glibc malloc。
    for (a, _) in &ALLOCATORS[1..] {
        for (size, _) in POOL_SIZES {
            for mode in ["one_task", "contended"] {
                put(
                    &format!("alloc_{a}_vs_glibc_{size}_{mode}"),
                    fmt_change(
                        &r.stat(&format!("pool.{a}.{size}.{mode}.alloc_ns"))?,
                        &r.stat(&format!("pool.glibc.{size}.{mode}.alloc_ns"))?,
                    ),
                );
            }
        }
    }

    // 示例 21-4：空闲任务的内存（两个任务数之间的斜率）。
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
                    fmt_stat(
                        &r.stat(&format!("task_memory.{rt}.payload{p}.{m}_bytes"))?,
                        fmt_bytes,
                    ),
                );
            }
        }
    }

    // 示例 21-5：创建并等待；示例 21-6：往返。
    for (bench, key) in [("spawn", "spawn"), ("pingpong", "ping_pong")] {
        for unit in ["thread", "tokio_ct", "tokio_mt", "smol"] {
            put(
                &format!("{bench}_{unit}"),
                fmt_stat(&r.stat(&format!("{key}.{unit}_ns"))?, fmt_ns),
            );
        }
        let stat = |unit: &str| r.stat(&format!("{key}.{unit}_ns"));
        put(
            &format!("{bench}_ratio"),
            fmt_ratio_of(&stat("thread")?, &stat("tokio_ct")?),
        );
        put(
            &format!("{bench}_smol_vs_tokio_ct"),
            fmt_change(&stat("smol")?, &stat("tokio_ct")?),
        );
        put(
            &format!("{bench}_tokio_mt_vs_tokio_ct"),
            fmt_change(&stat("tokio_mt")?, &stat("tokio_ct")?),
        );
    }

    // 示例 21-7：线程（只测一次：它要开上万个线程）。
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
    // Rust 的线程占四个内存映射（栈、保护页、信号备用栈和它的保护页）：映射数上限允许的线程数。
    put(
        "threads_rust_map_limit",
        fmt_count((r.num("threads.limit.max_map_count_div2")? / 2.0).floor()),
    );
    // 第 10 章：Smol 与 Tokio 多线程运行时每个空闲任务的堆内存，哪个少、少多少。
    put("task_heap_smol_vs_tokio_mt", {
        let smol = r.stat("task_memory.smol.payload0.heap_bytes")?;
        let tokio = r.stat("task_memory.tokio_mt.payload0.heap_bytes")?;
        if !smol.separated(&tokio) {
            WITHIN_NOISE.to_string()
        } else if smol.median < tokio.median {
            format!("Smol 的少 {}", fmt_bytes(tokio.median - smol.median))
        } else {
            format!("Tokio 的少 {}", fmt_bytes(smol.median - tokio.median))
        }
    });

    // 示例 14-12：一把锁、分片与 Actor。每次操作的平均耗时 = 总用时 / 总操作数，
    // 两个工作线程真正并行、互不妨碍时，它应当减半。
    for w in ["w1", "w2"] {
        for v in ["single", "sharded", "actor"] {
            put(
                &format!("shared_map_{w}_{v}"),
                fmt_stat(&r.stat(&format!("shared_map.{w}.{v}_ns"))?, fmt_ns),
            );
        }
    }
    for v in ["single", "sharded", "actor"] {
        put(
            &format!("shared_map_{v}_w2_vs_w1"),
            fmt_change(
                &r.stat(&format!("shared_map.w2.{v}_ns"))?,
                &r.stat(&format!("shared_map.w1.{v}_ns"))?,
            ),
        );
    }
    for w in ["w1", "w2"] {
        let single = r.stat(&format!("shared_map.{w}.single_ns"))?;
        put(
            &format!("shared_map_{w}_sharded_vs_single"),
            fmt_change(&r.stat(&format!("shared_map.{w}.sharded_ns"))?, &single),
        );
        put(
            &format!("shared_map_{w}_actor_vs_single"),
            fmt_ratio_of(&r.stat(&format!("shared_map.{w}.actor_ns"))?, &single),
        );
    }

    f.extend(binary_size_figures(r)?);
    f.extend(redis_figures(r)?);
    f.extend(http_figures(r)?);
    Ok(f)
}

/// 示例 21-11 的五个最小程序：（结果里的名字，`listings/binsize/` 下的目录，图表上的名字）。
pub const BINSIZE: &[(&str, &str, &str)] = &[
    ("std", "std", "只用标准库"),
    ("executor", "executor", "async-executor 的 Executor"),
    ("smol_global", "smol-global", "smol::spawn 的全局执行器"),
    ("tokio_rt", "tokio-rt", "tokio，只开 rt"),
    ("tokio_full", "tokio-full", "tokio，full 与 #[tokio::main]"),
];

/// 示例 21-11：二进制大小（确定的数，只量一次）。
fn binary_size_figures(r: &Results) -> Result<Vec<(String, String)>, String> {
    let mut f = Vec::new();
    let size = |name: &str| r.num(&format!("binary_size.{name}_bytes"));
    for (name, ..) in BINSIZE {
        f.push((format!("size_{name}"), fmt_bytes(size(name)?)));
    }
    // 每一步多出来的部分。
    for (a, b) in [
        ("executor", "std"),
        ("smol_global", "executor"),
        ("tokio_rt", "std"),
        ("tokio_full", "tokio_rt"),
    ] {
        let d = size(a)? - size(b)?;
        let text = if d >= 0.0 {
            fmt_bytes(d)
        } else {
            format!("少 {}", fmt_bytes(-d))
        };
        f.push((format!("size_{a}_minus_{b}"), text));
    }
    // 第 10 章：同一件事用两个运行时写，哪个小、小多少（大小是确定的，直接比）。
    for (a, a_text, b, b_text) in [
        (
            "smol_global",
            "smol::spawn 的版本",
            "tokio_full",
            "Tokio 开 full 的版本",
        ),
        (
            "executor",
            "只用 Executor 的版本",
            "tokio_rt",
            "Tokio 只开 rt 的版本",
        ),
    ] {
        // 连接词后面是拉丁字母时加一个空格（中文与英文之间）。
        let joined = |word: &str, x: &str| {
            if x.starts_with(|c: char| c.is_ascii()) {
                format!("{word} {x}")
            } else {
                format!("{word}{x}")
            }
        };
        let than = |x: &str| joined("比", x);
        let d = size(a)? - size(b)?;
        let text = if d < 0.0 {
            format!("{a_text}{}小 {}", than(b_text), fmt_bytes(-d))
        } else if d > 0.0 {
            format!("{b_text}{}小 {}", than(a_text), fmt_bytes(d))
        } else {
            format!("{a_text}{}一样大", joined("与", b_text))
        };
        f.push((format!("size_{a}_vs_{b}"), text));
    }
    Ok(f)
}

/// 结果文件的完整内容。
pub fn render_results(r: &Results) -> Result<String, String> {
    let mut s = String::from(HEADER);
    s.push_str("\n# ----- 机器与版本 -----\n");
    for key in META_KEYS {
        writeln!(s, "{key} = {}", r.meta(key)?).unwrap();
    }
    s.push_str("\n# ----- 原始数据：各基准测试程序每一轮打印的“名字 = 数值” -----\n");
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
    "listings/results/chart-pool-64m.svg",
];

const THREAD_COLOR: &str = "#d9822b";
const TASK_COLOR: &str = "#2b7bb9";
const POOL_COLOR: &str = "#4a9c5d";

struct Bar {
    label: String,
    stat: Stat,
    text: String,
    color: &'static str,
}

fn bar(label: &str, stat: Stat, text: String, color: &'static str) -> Bar {
    Bar {
        label: label.to_string(),
        stat,
        text,
        color,
    }
}

/// 只有一个数的条（没有分布）。
fn single(v: f64) -> Stat {
    Stat::of(vec![v])
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// 横向条形图：条的长度是中位数，条上的细线从最小值画到最大值（只测一轮的项没有细线）。
/// 第一行单独是开始标签、中间没有空行：mdBook 把它当作一整块 HTML 原样输出。
fn bar_chart(title: &str, note: &str, bars: &[Bar]) -> String {
    let width = 800.0;
    let label_w = 260.0;
    let text_w = 200.0;
    let row = 30.0;
    let top = 44.0;
    // 说明可以有几行（以换行分隔），每行 16 像素。
    let notes: Vec<&str> = note.lines().collect();
    let height = top + row * bars.len() as f64 + 18.0 + 16.0 * notes.len() as f64;
    let max = bars.iter().map(|b| b.stat.max).fold(0.0, f64::max);
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
        let w = (b.stat.median * scale).max(1.0);
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
            r#"<rect x="{label_w}" y="{y}" width="{w:.1}" height="22" fill="{c}" opacity="0.85"/>"#,
            c = b.color
        )
        .unwrap();
        let mut end = label_w + w;
        if b.stat.n > 1 && b.stat.max > b.stat.min {
            // 最小到最大：一条细横线，两端各一道短竖线；四分位距：同一条线上的粗段。
            let x = |v: f64| label_w + v * scale;
            let (x0, x1) = (x(b.stat.min), x(b.stat.max));
            let cy = y + 11.0;
            writeln!(
                s,
                r#"<path d="M{x0:.1} {cy}H{x1:.1}M{x0:.1} {a}V{b}M{x1:.1} {a}V{b}" stroke="currentColor" stroke-width="1.5" fill="none"/>"#,
                a = cy - 6.0,
                b = cy + 6.0
            )
            .unwrap();
            writeln!(
                s,
                r#"<path d="M{q1:.1} {cy}H{q3:.1}" stroke="currentColor" stroke-width="5" fill="none"/>"#,
                q1 = x(b.stat.q1),
                q3 = x(b.stat.q3).max(x(b.stat.q1) + 1.0)
            )
            .unwrap();
            end = end.max(x1);
        }
        writeln!(
            s,
            r#"<text x="{x:.1}" y="{ty}" fill="currentColor">{t}</text>"#,
            x = end + 6.0,
            ty = y + 16.0,
            t = escape(&b.text)
        )
        .unwrap();
    }
    for (i, line) in notes.iter().enumerate() {
        writeln!(
            s,
            r#"<text x="0" y="{y}" font-size="12" fill="currentColor" opacity="0.75">{n}</text>"#,
            y = height - 10.0 - 16.0 * (notes.len() - 1 - i) as f64,
            n = escape(line)
        )
        .unwrap();
    }
    s.push_str("</svg>\n");
    s
}

/// 由结果生成全部图表：（文件，SVG 文本），顺序与 [`CHARTS`] 相同。
pub fn charts(r: &Results) -> Result<Vec<(&'static str, String)>, String> {
    let flag = if forced(r)? {
        "（负载过高时强制测量）"
    } else {
        ""
    };
    let note = format!(
        "条：各轮的中位数；粗线：四分位距，即括号里的范围；细线：最小到最大（只测一次或各轮相同的项没有线）\n测于 {}{flag}，{}；数据：{RESULTS_FILE}",
        r.meta("date")?,
        r.meta("machine.cpu")?
    );
    let single_note = format!(
        "测于 {}{flag}，{}；数据：{RESULTS_FILE}",
        r.meta("date")?,
        r.meta("machine.cpu")?
    );
    let mut out = Vec::new();

    let thread_total = r.num("threads.small_stack.rss_bytes")?
        + r.num("threads.small_stack.kernel_stack_bytes")?;
    let mut memory = vec![bar(
        "线程（常驻内存 + 内核栈）",
        single(thread_total),
        fmt_bytes(thread_total),
        THREAD_COLOR,
    )];
    for (rt, label) in [
        ("tokio_mt", "Tokio 多线程运行时的任务"),
        ("tokio_ct", "Tokio 单线程运行时的任务"),
        ("smol", "Smol 的任务"),
    ] {
        let s = r.stat(&format!("task_memory.{rt}.payload0.rss_bytes"))?;
        memory.push(bar(label, s, fmt_stat(&s, fmt_bytes), TASK_COLOR));
    }
    out.push((
        CHARTS[0],
        bar_chart(
            "一个空闲的线程与一个空闲的任务各占多少常驻内存",
            &note,
            &memory,
        ),
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
        let s = r.stat(&format!("spawn.{key}_ns"))?;
        spawn.push(bar(label, s, fmt_stat(&s, fmt_ns), color));
        let s = r.stat(&format!("ping_pong.{key}_ns"))?;
        ping.push(bar(label, s, fmt_stat(&s, fmt_ns), color));
    }
    out.push((CHARTS[1], bar_chart("创建并等待一次的耗时", &note, &spawn)));
    out.push((
        CHARTS[2],
        bar_chart("两个线程或两个任务之间一次消息往返的耗时", &note, &ping),
    ));

    out.push((CHARTS[3], binary_size_chart(r, &single_note)?));

    for (chart, size, what) in [(CHARTS[4], "4k", "4 KiB"), (CHARTS[5], "64m", "64 MiB")] {
        let mut pool = Vec::new();
        for (a, name) in ALLOCATORS {
            for (mode, tasks) in [("one_task", "一个任务"), ("contended", "8 个任务")] {
                for (variant, how, color) in [
                    ("alloc", "直接分配", TASK_COLOR),
                    ("pool", "内存池", POOL_COLOR),
                ] {
                    let s = r.stat(&format!("pool.{a}.{size}.{mode}.{variant}_ns"))?;
                    pool.push(bar(
                        &format!("{name}，{tasks}：{how}"),
                        s,
                        fmt_stat(&s, fmt_ns),
                        color,
                    ));
                }
            }
        }
        out.push((
            chart,
            bar_chart(
                &format!("取得、写满、归还一个 {what} 缓冲区的耗时（越短越好）"),
                &note,
                &pool,
            ),
        ));
    }
    Ok(out)
}

/// 示例 21-11 的图表。
fn binary_size_chart(r: &Results, note: &str) -> Result<String, String> {
    let mut size = Vec::new();
    for (key, _, label) in BINSIZE {
        let v = r.num(&format!("binary_size.{key}_bytes"))?;
        let color = if *key == "std" {
            THREAD_COLOR
        } else {
            TASK_COLOR
        };
        size.push(bar(label, single(v), fmt_bytes(v), color));
    }
    Ok(bar_chart(
        "五个最小程序去掉符号表后的 release 二进制大小",
        note,
        &size,
    ))
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

/// 1 分钟平均负载。
fn load1() -> Result<f64, String> {
    read_trim("/proc/loadavg")
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| "读不到 /proc/loadavg".to_string())
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// 负载的上限：核心数乘 [`LOAD_PER_CORE`]。
fn load_limit() -> f64 {
    cores() as f64 * LOAD_PER_CORE
}

/// 测量前检查负载。超过上限时先等它降下来（刚编译完时负载总是高的，1 分钟平均负载
/// 每分钟衰减到约 37%），最多等 `LOAD_WAIT_SECONDS` 秒；仍然过高就拒绝，除非设置了
/// [`ALLOW_LOAD_ENV`]。返回是否是强制测量。
fn check_load() -> Result<bool, String> {
    const LOAD_WAIT_SECONDS: u64 = 180;
    let limit = load_limit();
    let allow = std::env::var(ALLOW_LOAD_ENV).as_deref() == Ok("1");
    let started = Instant::now();
    loop {
        let load = load1()?;
        if load <= limit {
            return Ok(false);
        }
        if allow {
            eprintln!(
                "    警告：1 分钟平均负载 {load:.2} 超过上限 {limit:.2}（核心数的四分之一），\
                 因为设置了 {ALLOW_LOAD_ENV}=1 仍然测量；结果文件和书中会标明这是强制测量"
            );
            return Ok(true);
        }
        if started.elapsed().as_secs() >= LOAD_WAIT_SECONDS {
            return Err(format!(
                "机器太忙：1 分钟平均负载 {load:.2}，超过上限 {limit:.2}（{} 个核心的四分之一），\
                 等了 {LOAD_WAIT_SECONDS} 秒也没有降下来。别的程序和基准测试争用 CPU，测出的数字\
                 偏慢、波动大。先停下其他占用 CPU 的程序再运行；一定要在这样的负载下测量，\
                 设置环境变量 {ALLOW_LOAD_ENV}=1（结果会被标为强制测量）",
                cores()
            ));
        }
        eprintln!(
            "    1 分钟平均负载 {load:.2} 超过上限 {limit:.2}，等它降下来（已等 {} 秒，最多 {LOAD_WAIT_SECONDS} 秒）",
            started.elapsed().as_secs()
        );
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
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

/// 一个 `Cargo.lock` 中这些 crate 的版本。
fn locked_versions(lock_file: &Path, names: &[&str]) -> Result<Vec<String>, String> {
    let lock = std::fs::read_to_string(lock_file)
        .map_err(|e| format!("无法读取 {}：{e}", lock_file.display()))?;
    let mut found = Vec::new();
    for name in names {
        let needle = format!("name = \"{name}\"\nversion = \"");
        let version = lock
            .split("[[package]]")
            .find_map(|p| {
                let rest = p.trim_start().strip_prefix(&needle[..])?;
                rest.split('"').next()
            })
            .ok_or_else(|| format!("{} 中没有 {name}", lock_file.display()))?;
        found.push(format!("{name} {version}"));
    }
    Ok(found)
}

fn crate_versions(root: &Path) -> Result<String, String> {
    let mut found = locked_versions(&root.join("Cargo.lock"), CRATES)?;
    found.extend(locked_versions(
        &root.join(ALLOC_BENCH_DIR).join("Cargo.lock"),
        &[
            "tikv-jemallocator",
            "tikv-jemalloc-sys",
            "mimalloc",
            "libmimalloc-sys",
        ],
    )?);
    Ok(found.join("、"))
}

fn machine(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut m = BTreeMap::new();
    let cpuinfo = read_trim("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    // CPU 标志里有 hypervisor：这是一台虚拟机，虚拟 CPU 可能与别的虚拟机共用物理核心。
    let virtual_cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("flags"))
        .is_some_and(|l| l.split_whitespace().any(|f| f == "hypervisor"));
    let cpu = if virtual_cpu {
        format!("{model}（虚拟机）")
    } else {
        model
    };
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
    m.insert("machine.cores".into(), cores().to_string());
    m.insert("machine.memory".into(), memory);
    m.insert("machine.os".into(), format!("{os_name}，Linux {kernel}"));
    m.insert("machine.libc".into(), libc);
    m.insert(
        "machine.allocator".into(),
        "glibc 的 malloc（Rust 程序默认的系统分配器；示例 21-3 另换 jemalloc、mimalloc 各测一次）"
            .into(),
    );
    m.insert("rustc".into(), rustc);
    m.insert("crates".into(), crate_versions(root)?);
    m.insert("redis".into(), redis_versions()?);
    m.insert("load.limit".into(), format!("{:.2}", load_limit()));
    Ok(m)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// 运行一个基准测试程序，边运行边把进度打印到标准错误，返回它打印的全部 `名字 = 数值`。
fn run_bench_program(
    mut cmd: Command,
    label: &str,
    all_started: Instant,
) -> Result<Vec<(String, String)>, String> {
    use std::io::BufRead;
    let started = Instant::now();
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stdin(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("无法运行 {label}：{e}"))?;
    let stdout = child.stdout.take().unwrap();
    let mut out = Vec::new();
    let mut error = None;
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("{label}：{e}"))?;
        if let Some(progress) = line.strip_prefix("# ") {
            eprintln!(
                "    {label}：{progress}（这一项已用 {:.0} 秒，全程已用 {:.0} 秒）",
                started.elapsed().as_secs_f64(),
                all_started.elapsed().as_secs_f64()
            );
        }
        match parse_bench_line(&line) {
            Ok(Some(pair)) => out.push(pair),
            Ok(None) => {}
            Err(e) => error = error.or(Some(format!("{label}：{e}"))),
        }
    }
    let status = child.wait().map_err(|e| format!("{label}：{e}"))?;
    if !status.success() {
        return Err(format!("{label} 失败（{status}），见上面它的标准错误"));
    }
    if let Some(e) = error {
        return Err(e);
    }
    eprintln!("    {label} 用时 {:.1} 秒", started.elapsed().as_secs_f64());
    Ok(out)
}

/// 以 release 编译工作区之外、只为测量而存在的一个包（`listings/alloc-bench`、`listings/binsize/*`），
/// 构建目录是 `target_dir`。
fn build_outside_workspace(cargo: &str, dir: &Path, target_dir: &Path) -> Result<(), String> {
    eprintln!(
        "==> 编译 {}（release，构建目录 {}）",
        dir.display(),
        target_dir.display()
    );
    let status = Command::new(cargo)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "--release", "--locked"])
        .status()
        .map_err(|e| format!("无法运行 cargo build：{e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "编译 {} 失败（见上面 cargo 的报错）",
            dir.display()
        ))
    }
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
    let alloc_target = target_dir(root).join("alloc-bench");
    build_outside_workspace(&cargo, &root.join(ALLOC_BENCH_DIR), &alloc_target)?;
    // 示例 21-11 量的五个最小程序：先在这里编译，测量时示例 21-11 再调用的 cargo build 已无事可做。
    let binsize_target = target_dir(root).join("binsize");
    for (_, dir, _) in BINSIZE {
        build_outside_workspace(
            &cargo,
            &root.join("listings/binsize").join(dir),
            &binsize_target,
        )?;
    }

    eprintln!("==> 检查负载");
    let forced = check_load()?;
    let mut results = Results {
        meta: machine(root)?,
        raw: BTreeMap::new(),
    };
    results.meta.insert("load.before".into(), loadavg());
    results.meta.insert(
        "load.forced".into(),
        if forced { "是" } else { "否" }.into(),
    );
    eprintln!(
        "    开始时的负载（1、5、15 分钟）：{}",
        results.meta["load.before"]
    );

    let all_started = Instant::now();
    let examples = target_dir(root).join("release").join("examples");
    let program = |exe: PathBuf| {
        let mut cmd = Command::new(exe);
        cmd.current_dir(root)
            .env_remove("BOOK_BENCH")
            .env("CARGO", &cargo);
        cmd
    };
    let pool_listing = "ch21-03-bench-pool";
    // 示例 21-7 一下子创建上万个线程，平均负载随之跳到几十上百，几分钟后才降下来：
    // 它放在最后，结束时的负载在它之前读，记下的才是机器本身的状态。
    let threads_listing = "ch21-07-bench-threads";
    for (i, b) in benches.iter().enumerate() {
        eprintln!("==> [{}/{}] {b}", i + 1, benches.len() + 2);
        if b == pool_listing || b == threads_listing {
            continue;
        }
        for (k, v) in run_bench_program(program(examples.join(b)), b, all_started)? {
            push_round(&mut results.raw, k, v);
        }
    }
    // 示例 21-3：三种分配器是三个程序。每一遍把三个程序各运行一次（轮流先运行谁），每次运行
    // 预热一轮、只测一轮：同一个进程里的各轮彼此相关（堆的布局、页面是否已在内存中、分给它的
    // 核心都随进程而定），一轮一个进程，跨分配器比较的各轮才是独立的。遍数就是轮数。
    let total_rounds: usize = std::env::var("BOOK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let passes = total_rounds.max(1);
    let programs = [
        ("glibc", examples.join(pool_listing)),
        (
            "jemalloc",
            alloc_target.join("release").join("pool-jemalloc"),
        ),
        (
            "mimalloc",
            alloc_target.join("release").join("pool-mimalloc"),
        ),
    ];
    eprintln!("==> {pool_listing}：三种分配器，{passes} 遍，每遍各运行一次、测一轮");
    for pass in 0..passes {
        for k in 0..programs.len() {
            let (name, exe) = &programs[(k + pass) % programs.len()];
            let mut cmd = program(exe.clone());
            cmd.env("BOOK_BENCH_ROUNDS", "1");
            let label = format!("{pool_listing}（{name}，第 {}/{passes} 遍）", pass + 1);
            for (k, v) in run_bench_program(cmd, &label, all_started)? {
                push_round(&mut results.raw, k, v);
            }
        }
    }
    eprintln!("==> [{}/{}] redis", benches.len() + 1, benches.len() + 2);
    results.raw.extend(redis_bench(&examples)?);
    eprintln!("==> [{}/{}] http", benches.len() + 2, benches.len() + 2);
    results.raw.extend(http_bench(&examples)?);
    results.meta.insert("load.after".into(), loadavg());
    if benches.iter().any(|b| b == threads_listing) {
        eprintln!("==> [最后] {threads_listing}（结束时的负载已在它之前读出）");
        for (k, v) in run_bench_program(
            program(examples.join(threads_listing)),
            threads_listing,
            all_started,
        )? {
            push_round(&mut results.raw, k, v);
        }
    }

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
        "\n测量用时 {:.0} 秒（不含编译）。结果已写入 {RESULTS_FILE} 和 {} 个图表。\
         用 `git diff listings/results` 阅读变化，再用 `cargo xtask build` 查看第 21 章。",
        all_started.elapsed().as_secs_f64(),
        CHARTS.len()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 第 19 章：迷你 Redis 与 Debian 的 redis-server，由同一个 redis-benchmark 测量

/// 迷你 Redis 的服务器示例。
pub const REDIS_LISTING: &str = "ch19-06-server";
/// 轮数：每一轮把两个服务器在每种发送方式下各测一次（轮流先测谁）；书中给出中位数和范围。
const REDIS_ROUNDS: usize = 5;
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
            let stat = |server: &str| r.stat(&format!("redis.{server}.{mode}.{what}"));
            for (server, _) in REDIS_SERVERS {
                f.push((
                    format!("redis_{server}_{mode}_{test}"),
                    fmt_stat(&stat(server)?, fmt_rate),
                ));
            }
            let ratio = num("mini", mode, &what)? / num("server", mode, &what)?;
            let note = if stat("mini")?.separated(&stat("server")?) {
                ""
            } else {
                "，差别在波动范围内"
            };
            f.push((
                format!("redis_{mode}_{test}_ratio"),
                format!("{}%{note}", (ratio * 100.0).round() as i64),
            ));
        }
        for (server, _) in REDIS_SERVERS {
            for part in ["user", "sys"] {
                f.push((
                    format!("redis_{server}_{mode}_{part}"),
                    fmt_stat(
                        &r.stat(&format!("redis.{server}.{mode}.{part}_ns"))?,
                        fmt_ns,
                    ),
                ));
            }
        }
        f.push((
            format!("redis_{mode}_user_ratio"),
            fmt_ratio_of(
                &r.stat(&format!("redis.mini.{mode}.user_ns"))?,
                &r.stat(&format!("redis.server.{mode}.user_ns"))?,
            ),
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
    // 逐条发送时，内核态时间与用户态时间之比；两个服务器的内核态时间之比。
    let p1 = |server: &str, part: &str| r.stat(&format!("redis.{server}.p1.{part}_ns"));
    for (server, _) in REDIS_SERVERS {
        f.push((
            format!("redis_{server}_p1_sys_vs_user"),
            fmt_ratio_of(&p1(server, "sys")?, &p1(server, "user")?),
        ));
    }
    f.push((
        "redis_p1_sys_ratio".to_string(),
        fmt_ratio_of(&p1("mini", "sys")?, &p1("server", "sys")?),
    ));
    // 一次测量（SET 与 GET 各 n 次）里服务器的用户态、内核态时间各折合几个时钟滴答
    // （/proc 以 USER_HZ 计，x86-64 的 Linux 上是 100，一个滴答 10 毫秒），
    // 以及差一个滴答在滴答最少的那一项上是多大的误差。
    let mut ticks = Vec::new();
    for &(mode, _, requests) in REDIS_MODES {
        for (server, _) in REDIS_SERVERS {
            for part in ["user", "sys"] {
                let ns = num(server, mode, &format!("{part}_ns"))?;
                ticks.push(ns * (2 * requests) as f64 / 1e7);
            }
        }
    }
    let fewest = ticks.iter().copied().fold(f64::INFINITY, f64::min);
    let most = ticks.iter().copied().fold(0.0, f64::max);
    f.push((
        "redis_cpu_ticks".to_string(),
        format!("{}–{} 个滴答", fewest.round(), most.round()),
    ));
    f.push(("redis_tick_error".to_string(), {
        let pct = 100.0 / fewest.max(1.0);
        if pct >= 1.0 {
            format!("{pct:.0}%")
        } else {
            format!("{}%", sig(pct))
        }
    }));
    f.push((
        "redis_rounds".to_string(),
        format!("{} 轮", r.stat("redis.mini.p1.set_rps")?.n),
    ));
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
    // 每一轮的数值都留下，书中给出中位数和范围。
    Ok(samples
        .into_iter()
        .map(|(key, v)| {
            let rounds: Vec<String> = v.iter().map(|x| format!("{x:.0}")).collect();
            (key, rounds.join(" "))
        })
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
    if part == "render" {
        return render_only(root);
    }
    let (listing, measure): (&str, Measure) = match part {
        "http" => (HTTP_LISTING, http_bench),
        "redis" => (REDIS_LISTING, redis_bench),
        _ => {
            return Err(format!(
                "不认识的部分 `{part}`；可以单独测量的部分：http、redis；只重新生成数字与图表：render"
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
    eprintln!("==> 检查负载");
    if check_load()? {
        // 一部分是强制测量的，整个结果文件就标为强制测量。
        results.meta.insert("load.forced".into(), "是".into());
    }
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

/// `cargo xtask bench render`：不测量，只从结果文件里的原始数据重新生成书中的数字和图表
/// （改了数字的格式或比较的规则之后用）。
fn render_only(root: &Path) -> Result<(), String> {
    let file = root.join(RESULTS_FILE);
    let results = parse_results(
        &std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?,
    )?;
    std::fs::write(&file, render_results(&results)?)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    for (path, svg) in charts(&results)? {
        std::fs::write(root.join(path), svg).map_err(|e| format!("{path}: {e}"))?;
    }
    eprintln!(
        "已从 {RESULTS_FILE} 的原始数据重新生成书中的数字和 {} 个图表。",
        CHARTS.len()
    );
    Ok(())
}
