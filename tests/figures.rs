//! 书中的性能数字必须是测出来的：
//!
//! - 章节正文里不能手写带单位的性能数字（字节、KiB、MiB、纳秒、微秒、%、倍……）。
//!   数字要用 `{{#include ../listings/results/bench.txt:锚点}}` 从测量结果引入；
//!   例外：同一段里有外部链接注明出处的；连同单位一起出现在本章展示的 `.out` 输出里的
//!   （由被测试比对的示例算出）；在「」或“”中引用原稿说法的（见 [`SEED_CLAIMS`]）；
//!   同一段里写明 [`NOT_A_FIGURE`] 的（不是性能数字，例如编码占几个字节）；
//! - 结果文件中“书中引用的数字”和图表由原始数据重新生成后必须逐字相同，
//!   手工改动结果文件或图表会被发现；
//! - 第 21 章注明了测量的机器和日期，每个图表都有章节展示。
//!
//! 重新测量：`cargo xtask bench`（见 README）。

#[path = "xtask/bench.rs"]
#[allow(dead_code)]
mod bench;

use std::collections::BTreeSet;
use std::path::Path;

use book_tests::{book, include, read, rel, repo_root};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// 原稿中被本书逐条核对的说法，逐字照录。正文可以在「」中引用它们（并说明实测结果）。
const SEED_CLAIMS: &[&str] = &[
    "创建线程开销大 (~2MB 栈空间)",
    "线程切换成本高 (~μs 级别)",
    "线程数量受限 (通常 < 10,000)",
    "轻量级任务 (~200 bytes)",
    "快速上下文切换 (~ns 级别)",
    "更小的二进制体积 (~100KB vs ~500KB)",
    "更低的内存占用 (~200 bytes/task vs ~1KB/task)",
    "性能提升: 50-80% (频繁分配场景)",
];

/// 性能数字的单位。数字后面（可隔空格）紧跟其中之一，就是一个性能数字。
const UNITS: &[&str] = &[
    "字节", "bytes", "byte", "KiB", "MiB", "GiB", "KB", "kB", "MB", "GB", "B", "纳秒", "微秒",
    "ns", "µs", "μs", "us", "%", "％", "倍",
];

/// 同一段里写上这个 HTML 注释，表示段中带单位的数字不是性能数字（例如编码占几个字节）。
const NOT_A_FIGURE: &str = "<!-- 不是性能数字 -->";

/// 一段文字中手写的性能数字（原文片段）。
fn typed_figures(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_ok = i == 0 || {
            let p = chars[i - 1];
            !(p.is_ascii_alphanumeric() || p == '_' || p == '.')
        };
        if !(c.is_ascii_digit() && prev_ok) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',' || chars[i] == '.') {
            i += 1;
        }
        let mut j = i;
        while j < chars.len() && matches!(chars[j], ' ' | '\u{a0}' | '\u{2009}') {
            j += 1;
        }
        let rest: String = chars[j..chars.len().min(j + 6)].iter().collect();
        for unit in UNITS {
            if let Some(after) = rest.strip_prefix(unit) {
                let latin = unit.chars().all(|u| u.is_ascii_alphabetic());
                if latin
                    && after
                        .chars()
                        .next()
                        .is_some_and(|a| a.is_ascii_alphanumeric())
                {
                    continue;
                }
                let end = (j + unit.chars().count()).min(chars.len());
                found.push(chars[start..end].iter().collect());
                break;
            }
        }
    }
    found
}

/// 去掉引用原稿的部分：「」或“”中的文字是原稿某条说法的一部分（至少 4 个字符）。
fn without_seed_quotes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let next = ["「", "“"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, *open)))
            .min();
        let Some((i, open)) = next else { break };
        let close = if open == "「" { "」" } else { "”" };
        let body_start = i + open.len();
        let Some(len) = rest[body_start..].find(close) else {
            break;
        };
        let quoted = &rest[body_start..body_start + len];
        out.push_str(&rest[..body_start]);
        if quoted.chars().count() < 4 || !SEED_CLAIMS.iter().any(|c| c.contains(quoted)) {
            out.push_str(quoted);
        }
        out.push_str(close);
        rest = &rest[body_start + len + close.len()..];
    }
    out.push_str(rest);
    out
}

/// 去掉空白后的数字与单位，例如 `16 字节` → `16字节`。
fn normalized(figure: &str) -> String {
    figure.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 检查一章：返回（行号，手写的数字）。
fn check_chapter(chapter: &Path, text: &str) -> Vec<(usize, String)> {
    let (directives, _) = include::directives(text);
    // 本章展示的输出文件中出现过的带单位的数字：它们由被测试比对的示例算出，可以在正文中复述。
    let mut from_outputs = BTreeSet::new();
    for d in &directives {
        if d.path.ends_with(".out")
            && let Ok(t) = std::fs::read_to_string(include::resolve(chapter, &d.path))
        {
            from_outputs.extend(typed_figures(&t).iter().map(|f| normalized(f)));
        }
    }
    // 引入指令（从结果文件引入的数字、图表）换成空白：剩下的才是手写的。
    let mut stripped = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut line = line.to_string();
        for d in directives.iter().filter(|d| d.line == i + 1).rev() {
            line.replace_range(d.span.0..d.span.1, "");
        }
        stripped.push_str(&line);
        stripped.push('\n');
    }

    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut errors = Vec::new();
    // 一“段”：段落、标题、表格的一行、列表项。段内有外部链接，就算注明了出处。
    let mut group = String::new();
    let mut group_line = 1;
    let mut cited = false;
    let mut in_code_block = false;
    let mut flush = |group: &mut String, line: usize, cited: &mut bool| {
        if !*cited {
            for fig in typed_figures(&without_seed_quotes(group)) {
                if !from_outputs.contains(&normalized(&fig)) {
                    errors.push((line, fig));
                }
            }
        }
        group.clear();
        *cited = false;
    };
    for (event, range) in Parser::new_ext(&stripped, options).into_offset_iter() {
        let line = stripped[..range.start].matches('\n').count() + 1;
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableRow | Tag::Item)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableRow | TagEnd::Item,
            ) => {
                flush(&mut group, group_line, &mut cited);
                group_line = line;
            }
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                flush(&mut group, group_line, &mut cited);
                group_line = line;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.contains("://") => cited = true,
            Event::Text(t) if !in_code_block => {
                if group.is_empty() {
                    group_line = line;
                }
                group.push_str(&t);
            }
            Event::InlineHtml(h) | Event::Html(h) if h.contains(NOT_A_FIGURE) => cited = true,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => group.push(' '),
            _ => {}
        }
    }
    flush(&mut group, group_line, &mut cited);
    errors
}

fn no_performance_figure_is_typed_by_hand() {
    let root = repo_root();
    let mut errors = Vec::new();
    for chapter in book::markdown_files(&root).unwrap() {
        let text = read(&chapter).unwrap();
        for (line, fig) in check_chapter(&chapter, &text) {
            errors.push(format!(
                "{}:{line}: 手写的性能数字「{fig}」。性能数字要由基准测试测出：运行 `cargo xtask bench`，\
                 再用 {{{{#include ../listings/results/bench.txt:锚点}}}} 引入结果文件中的数字；\
                 若是有出处的事实，在同一段里用外部链接注明出处；若不是性能数字（例如编码占几个字节），\
                 在同一段里写上 {NOT_A_FIGURE}",
                rel(&root, &chapter)
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// 检查本身：手写的数字会被发现，引入的、注明出处的、引用原稿的不会。
fn the_check_catches_typed_figures() {
    let chapter = repo_root().join("src/ch21-memory-optimization.md");
    let typed = "线程栈约 2 MB，任务约 200 字节，快 50%，切换只要 30ns。\n";
    let found: Vec<String> = check_chapter(&chapter, typed)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    assert_eq!(found, ["2 MB", "200 字节", "50%", "30ns"]);

    let table = "| 运行时 | 内存 |\n| --- | --- |\n| Tokio | 322 字节 |\n";
    assert_eq!(
        check_chapter(&chapter, table).len(),
        1,
        "表格中的数字也要检查"
    );

    let fine = "每个任务约 {{#include ../listings/results/bench.txt:task_rss_tokio_mt_p0}}。\n\n\
        默认栈是 2 MiB（见 [std 文档](https://doc.rust-lang.org/std/thread/#stack-size)）。\n\n\
        原稿说「轻量级任务 (~200 bytes)」。\n\n\
        `vec![0u8; 4096]` 与 10 个任务、第 21 章、Rust 1.88 都不是性能数字。\n\n\
        ```text\n示意：2 MB\n```\n";
    assert_eq!(check_chapter(&chapter, fine), []);

    let misquoted = "原稿说「轻量级任务 (~300 bytes)」。\n";
    assert_eq!(
        check_chapter(&chapter, misquoted).len(),
        1,
        "只能逐字引用原稿"
    );
    let partial = "原稿说二进制体积“~100KB vs ~500KB”。\n\n两个汉字各占 3 字节，共 6 字节。<!-- 不是性能数字 -->\n";
    assert_eq!(check_chapter(&chapter, partial), []);
}

fn results_file_figures_are_computed_from_its_data() {
    let root = repo_root();
    let path = root.join(bench::RESULTS_FILE);
    let text = read(&path).unwrap();
    let results = bench::parse_results(&text).unwrap();
    let expected = bench::render_results(&results).unwrap();
    if text != expected {
        let (line, (have, want)) = text
            .lines()
            .zip(expected.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("（长度不同）", "")));
        panic!(
            "{}:{}: 与由原始数据算出的内容不同：\n  文件中：{have}\n  应为：  {want}\n\
             结果文件由 `cargo xtask bench` 生成，不要手工编辑；重新运行它",
            bench::RESULTS_FILE,
            line + 1
        );
    }
}

fn charts_are_generated_from_the_results() {
    let root = repo_root();
    let results = bench::parse_results(&read(&root.join(bench::RESULTS_FILE)).unwrap()).unwrap();
    let charts = bench::charts(&results).unwrap();
    assert_eq!(charts.len(), bench::CHARTS.len());
    for (path, svg) in charts {
        let have = read(&root.join(path)).unwrap();
        assert!(
            have == svg,
            "{path} 与由 {} 生成的图表不同：图表由 `cargo xtask bench` 生成，不要手工编辑",
            bench::RESULTS_FILE
        );
    }
}

/// 比较的规则：四分位距（中间一半）重叠时不说谁快，不重叠时按中位数说快慢多少。
fn comparisons_follow_the_spread() {
    let stat = |v: &[f64]| bench::Stat::of(v.to_vec());
    let base = stat(&[100.0, 104.0, 98.0, 101.0, 120.0]);
    assert_eq!(base.median, 101.0);
    assert_eq!(
        (base.min, base.q1, base.q3, base.max),
        (98.0, 99.0, 112.0, 120.0)
    );
    // 中位数差了 10%，但四分位距重叠：不下结论。
    let overlapping = stat(&[111.0, 110.0, 99.0, 112.0, 113.0]);
    assert_eq!(bench::fmt_change(&overlapping, &base), bench::WITHIN_NOISE);
    assert_eq!(
        bench::fmt_ratio_of(&overlapping, &base),
        bench::WITHIN_NOISE
    );
    // 四分位距分开：按中位数说快慢。一个离群的最小值不妨碍结论。
    let slower = stat(&[130.0, 131.0, 125.0, 140.0, 121.0, 95.0]);
    assert_eq!(bench::fmt_change(&slower, &base), "慢 26%");
    assert_eq!(bench::fmt_change(&base, &slower), "快 21%");
    let much_slower = stat(&[300.0, 310.0, 305.0]);
    assert_eq!(bench::fmt_change(&much_slower, &base), "慢，耗时是 3.02 倍");
    // 偶数轮的中位数是中间两个的平均。
    assert_eq!(stat(&[1.0, 2.0, 3.0, 10.0]).median, 2.5);
    assert_eq!(
        bench::fmt_stat(&base, bench::fmt_ns),
        "101 纳秒（99–112 纳秒）"
    );
    assert_eq!(
        bench::fmt_stat(&stat(&[990.0, 1000.0, 1100.0]), bench::fmt_ns),
        "1 微秒（990 纳秒–1.1 微秒）"
    );
}

/// 说“谁小、小多少”的锚点（第 10 章引用）由数据决定方向：把两边的数据对调，说法跟着对调。
fn smaller_of_two_follows_the_data() {
    let root = repo_root();
    let text = read(&root.join(bench::RESULTS_FILE)).unwrap();
    let results = bench::parse_results(&text).unwrap();
    let anchor = |r: &bench::Results, name: &str| {
        bench::figures(r)
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
            .unwrap_or_else(|| panic!("tests/xtask/bench.rs 的 figures() 没有写出锚点 {name}"))
    };
    let mut swapped = results.clone();
    for (a, b) in [
        (
            "binary_size.smol_global_bytes",
            "binary_size.tokio_full_bytes",
        ),
        (
            "task_memory.smol.payload0.heap_bytes",
            "task_memory.tokio_mt.payload0.heap_bytes",
        ),
    ] {
        let (va, vb) = (results.raw[a].clone(), results.raw[b].clone());
        swapped.raw.insert(a.to_string(), vb);
        swapped.raw.insert(b.to_string(), va);
    }
    for (name, first) in [
        ("size_smol_global_vs_tokio_full", "smol::spawn"),
        ("task_heap_smol_vs_tokio_mt", "Smol"),
    ] {
        let (before, after) = (anchor(&results, name), anchor(&swapped, name));
        assert_ne!(
            before.starts_with(first),
            after.starts_with(first),
            "锚点 {name} 在数据对调后说法没有跟着对调（之前：{before}，之后：{after}）：\
             检查 tests/xtask/bench.rs 的 figures() 里比较两边的那几行"
        );
    }
}

/// 第 21 章 21.2.6 节说：两个变体其实没有差别时，15 轮对 15 轮的四分位距恰好不重叠的机会
/// 不到百分之一。这里用固定种子的随机数模拟十万次来核对；改动比较的规则或轮数后，它会失败。
fn the_spread_rule_rarely_claims_a_difference_that_is_not_there() {
    // xorshift64：够用的伪随机数，不需要依赖。
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let trials = 100_000;
    let mut claimed = 0;
    for _ in 0..trials {
        let a = bench::Stat::of((0..15).map(|_| next()).collect());
        let b = bench::Stat::of((0..15).map(|_| next()).collect());
        if a.separated(&b) {
            claimed += 1;
        }
    }
    let rate = claimed as f64 / trials as f64;
    assert!(
        rate < 0.01,
        "两组同分布的数据被判为有差别的比例是 {rate}，不低于百分之一：\
         tests/xtask/bench.rs 的比较规则太松，与第 21 章 21.2.6 节的说法不符"
    );
    assert!(rate > 0.0, "模拟没有产生任何误判，检查模拟本身");
}

/// 引用测量机器的章节也要引用负载的说明：强制测量的结果在哪里被引用，警告就出现在哪里。
fn every_chapter_naming_the_machine_shows_the_load_note() {
    let root = repo_root();
    let machine = "{{#include ../listings/results/bench.txt:machine}}";
    let note = "{{#include ../listings/results/bench.txt:load_note}}";
    let mut errors = Vec::new();
    for chapter in book::markdown_files(&root).unwrap() {
        let text = read(&chapter).unwrap();
        if text.contains(machine) && !text.contains(note) {
            errors.push(format!(
                "{}：引用了测量机器（{machine}），却没有引用负载的说明 {note}；\
                 负载过高时强制测量的结果要在同一处提醒读者，把它加在机器那一句旁边",
                rel(&root, &chapter)
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// 第 21 章注明测量的机器与日期；每个图表都有章节展示。
fn chapter_names_the_machine_and_shows_every_chart() {
    let root = repo_root();
    let ch21 = read(&root.join("src/ch21-memory-optimization.md")).unwrap();
    for anchor in ["machine", "date", "rustc", "crates", "load", "load_note"] {
        let directive = format!("{{{{#include ../listings/results/bench.txt:{anchor}}}}}");
        assert!(
            ch21.contains(&directive),
            "第 21 章应当用 {directive} 说明测量的条件"
        );
    }
    let shown = book::shown_in(&root).unwrap();
    for chart in bench::CHARTS {
        assert!(
            shown.contains_key(&root.join(chart)),
            "{chart} 没有任何章节展示"
        );
    }
}

tests![
    no_performance_figure_is_typed_by_hand,
    the_check_catches_typed_figures,
    results_file_figures_are_computed_from_its_data,
    charts_are_generated_from_the_results,
    comparisons_follow_the_spread,
    smaller_of_two_follows_the_data,
    the_spread_rule_rarely_claims_a_difference_that_is_not_there,
    every_chapter_naming_the_machine_shows_the_load_note,
    chapter_names_the_machine_and_shows_every_chart,
];
