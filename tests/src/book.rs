//! 对书的源文件做的检查（不需要 mdBook）：
//!
//! - 章节中每条引入指令都指向存在的文件和非空、已关闭的锚点；
//! - ```rust 代码块里只有引入指令，并且引入的是被编译的示例；
//! - ```console 代码块里只有对 `.out` 文件的引入；
//! - 每个示例、每个输出文件都有章节展示；
//! - 章节之间的链接和到标题的链接都指向存在的位置。

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::include;
use crate::markdown::fenced_blocks;
use crate::{
    BENCH_MARKER, ListingKind, SERVER_LISTINGS, compile_fail_cases, files_with_ext, listings, read,
    rel,
};

/// `src/` 下的全部 Markdown 文件。
pub fn markdown_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// 每个被引入的文件由哪些章节展示（章节以 `src/…md` 表示）。
pub fn shown_in(root: &Path) -> Result<BTreeMap<PathBuf, Vec<String>>, String> {
    let mut map: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for chapter in markdown_files(root)? {
        let text = read(&chapter)?;
        for d in include::directives(&text).0 {
            map.entry(include::resolve(&chapter, &d.path))
                .or_default()
                .push(rel(root, &chapter));
        }
    }
    Ok(map)
}

/// 对整本书做源文件层面的全部检查，返回发现的全部问题（每条都带文件和行号）。
pub fn check(root: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let chapters = match markdown_files(root) {
        Ok(c) => c,
        Err(e) => return vec![e],
    };
    let examples = match listings(root) {
        Ok(l) => l,
        Err(e) => return vec![e],
    };
    let compile_fail = compile_fail_cases(root).unwrap_or_default();
    let example_sources: BTreeSet<PathBuf> = examples.iter().map(|l| l.source.clone()).collect();
    let compile_fail_set: BTreeSet<PathBuf> = compile_fail.iter().cloned().collect();

    // 被展示的文件，以及展示它们的代码块种类。
    let mut shown_code: BTreeSet<PathBuf> = BTreeSet::new();
    let mut shown_output: BTreeSet<PathBuf> = BTreeSet::new();

    let mut headings: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, usize, String)> = Vec::new();

    for chapter in &chapters {
        let name = rel(root, chapter);
        let text = match read(chapter) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        // 1. 每条指令都能展开。
        let (ds, bad) = include::directives(&text);
        for (line, e) in bad {
            errors.push(format!("{name}:{line}: {e}"));
        }
        for d in &ds {
            if let Err(e) = include::expand(chapter, d) {
                errors.push(format!("{name}:{}: {e}", d.line));
            }
        }
        // 2. 代码块的种类与内容。
        for block in fenced_blocks(&text) {
            check_block(
                root,
                chapter,
                &name,
                &block,
                &example_sources,
                &compile_fail_set,
                &mut shown_code,
                &mut shown_output,
                &mut errors,
            );
        }
        headings.insert(chapter.clone(), heading_ids(&text));
        for (line, target) in md_links(&text) {
            links.push((chapter.clone(), line, target));
        }
    }

    // 3. 覆盖率：每个示例、每个输出文件都要有章节展示。
    for l in &examples {
        if !shown_code.contains(&l.source) {
            errors.push(format!(
                "{}: 没有任何章节用 ```rust 代码块展示这个示例。在章节中引入它，或者删除它",
                rel(root, &l.source)
            ));
        }
        let out = l.output_file();
        match l.kind {
            ListingKind::Output => {
                if !out.exists() {
                    errors.push(format!(
                        "{}: 缺少输出文件 {}。运行 `cargo xtask bless {}` 从真实运行生成它",
                        rel(root, &l.source),
                        rel(root, &out),
                        l.name
                    ));
                } else if !shown_output.contains(&out) {
                    errors.push(format!(
                        "{}: 没有任何章节用 ```console 代码块展示这个输出文件",
                        rel(root, &out)
                    ));
                }
            }
            ListingKind::Server | ListingKind::Bench => {
                if out.exists() {
                    errors.push(format!(
                        "{}: 这个示例不与固定输出比对（服务器或基准测试），输出文件不会被检查，请删除它",
                        rel(root, &out)
                    ));
                }
            }
        }
    }
    for case in &compile_fail {
        if !shown_code.contains(case) {
            errors.push(format!(
                "{}: 没有任何章节展示这个无法编译的示例",
                rel(root, case)
            ));
        }
        let stderr = case.with_extension("stderr");
        if !stderr.exists() {
            errors.push(format!(
                "{}: 缺少编译器报错文件 {}。运行 `cargo xtask bless` 生成它",
                rel(root, case),
                rel(root, &stderr)
            ));
        } else if !shown_output.contains(&stderr) {
            errors.push(format!(
                "{}: 没有任何章节展示这段编译器报错",
                rel(root, &stderr)
            ));
        }
    }
    // 没有对应程序的输出文件（示例改名或删除后留下的）。
    for dir in ["listings/examples", "listings/compile-fail/cases"] {
        for ext in ["out", "stderr"] {
            for p in files_with_ext(&root.join(dir), ext).unwrap_or_default() {
                if !p.with_extension("rs").exists() {
                    errors.push(format!(
                        "{}: 没有同名的示例程序，这个输出文件是孤儿，请删除它",
                        rel(root, &p)
                    ));
                }
            }
        }
    }

    // 4. 链接。
    for (chapter, line, target) in links {
        if let Err(e) = check_link(&chapter, &target, &headings) {
            errors.push(format!(
                "{}:{line}: 链接 `{target}` {e}",
                rel(root, &chapter)
            ));
        }
    }
    errors
}

#[allow(clippy::too_many_arguments)]
fn check_block(
    root: &Path,
    chapter: &Path,
    name: &str,
    block: &crate::markdown::Block,
    examples: &BTreeSet<PathBuf>,
    compile_fail: &BTreeSet<PathBuf>,
    shown_code: &mut BTreeSet<PathBuf>,
    shown_output: &mut BTreeSet<PathBuf>,
    errors: &mut Vec<String>,
) {
    let at = format!("{name}:{}", block.line);
    let attrs = block.attrs();
    let directives = include::directives(&block.body).0;
    // 写错的指令已在章节层面报告；这里只判断代码块里是否有手写的内容。
    let is_directive = |l: &str| l.trim().starts_with("{{#") && l.trim().ends_with("}}");
    let only_directives = block.body.lines().any(is_directive)
        && block
            .body
            .lines()
            .all(|l| l.trim().is_empty() || is_directive(l));
    match block.lang.as_str() {
        "rust" => {
            if !only_directives {
                errors.push(format!(
                    "{at}: ```rust 代码块里手写了代码。代码必须放在 listings/ 下的示例中，\
                     再用 {{{{#rustdoc_include ../listings/examples/文件.rs:锚点}}}} 引入，这样它才会被编译和运行"
                ));
                return;
            }
            for bad in ["ignore", "should_panic", "no_run"] {
                if attrs.contains(&bad) {
                    errors.push(format!(
                        "{at}: 代码块标了 `{bad}`。本书的示例都会被编译和运行，不用 `{bad}` 绕过检查"
                    ));
                }
            }
            for d in &directives {
                let file = include::resolve(chapter, &d.path);
                if d.anchor.is_none() {
                    errors.push(format!(
                        "{at}: `{}` 没有指定锚点。用 `文件:锚点` 引入，锚点标出读者要看的部分",
                        d.raw
                    ));
                }
                let is_cf = compile_fail.contains(&file);
                if examples.contains(&file) {
                    let source = std::fs::read_to_string(&file).unwrap_or_default();
                    let blockers = playground_blockers(&source);
                    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                    // 服务器不会自己结束，基准测试要在本地测量：都不放 Run 按钮。
                    let local_only =
                        SERVER_LISTINGS.contains(&stem.as_ref()) || stem.contains(BENCH_MARKER);
                    let marked = attrs.contains(&"noplayground");
                    if marked && blockers.is_empty() && !local_only {
                        errors.push(format!(
                            "{at}: {} 只用到 Playground 有的 crate，却标了 `noplayground`：去掉它，读者就能在线运行",
                            rel(root, &file)
                        ));
                    }
                    if !marked && !blockers.is_empty() {
                        errors.push(format!(
                            "{at}: {} 用到了 Rust Playground 没有的 {}，它的 Run 按钮会失败。\
                             在代码块上加 `noplayground`（读者照 caption 中的命令在本地运行）",
                            rel(root, &file),
                            blockers.join("、")
                        ));
                    }
                    if !marked && local_only {
                        errors.push(format!(
                            "{at}: {} 是服务器或基准测试，只能在本地运行：代码块要标 `noplayground`",
                            rel(root, &file)
                        ));
                    }
                }
                if examples.contains(&file) {
                    if attrs.contains(&"compile_fail") {
                        errors.push(format!(
                            "{at}: {} 是能编译的示例，却标了 `compile_fail`",
                            rel(root, &file)
                        ));
                    }
                } else if is_cf {
                    if !attrs.contains(&"compile_fail") {
                        errors.push(format!(
                            "{at}: {} 是故意无法编译的示例，代码块要标 `compile_fail`，读者才知道它无法编译",
                            rel(root, &file)
                        ));
                    }
                } else {
                    errors.push(format!(
                        "{at}: `{}` 引入的 {} 不是被编译的示例（listings/examples/*.rs 或 listings/compile-fail/cases/*.rs）",
                        d.raw,
                        rel(root, &file)
                    ));
                }
                shown_code.insert(file);
            }
        }
        "console" => {
            if !only_directives {
                errors.push(format!(
                    "{at}: ```console 代码块里手写了输出。输出必须来自真实运行：\
                     用 {{{{#include ../listings/examples/示例名.out}}}} 引入（`cargo xtask bless` 生成）"
                ));
                return;
            }
            for d in &directives {
                let file = include::resolve(chapter, &d.path);
                if file.extension().is_none_or(|e| e != "out") || d.anchor.is_some() {
                    errors.push(format!(
                        "{at}: ```console 代码块只能整体引入示例的 .out 文件，`{}` 不是",
                        d.raw
                    ));
                }
                shown_output.insert(file);
            }
        }
        _ => {
            for d in &directives {
                let file = include::resolve(chapter, &d.path);
                if file.extension().is_some_and(|e| e == "stderr") {
                    shown_output.insert(file);
                } else if file.extension().is_some_and(|e| e == "rs" || e == "out") {
                    errors.push(format!(
                        "{at}: `{}` 在 ```{} 代码块中引入了示例或输出；示例用 ```rust，输出用 ```console",
                        d.raw, block.lang
                    ));
                }
            }
        }
    }
}

/// 示例中让它无法在 Rust Playground 上运行的东西。Playground 只有下载量最高的一批 crate
/// （及其依赖），按各 crate 在 `[package.metadata.playground]` 中声明的特性编译：
/// tokio 1.54.1 声明了 `full` 与 `test-util`（暂停的时钟可用），tokio-util 声明了 `full`。
/// smol、async-io、async-channel、actix 不在其中。
pub fn playground_blockers(source: &str) -> Vec<&'static str> {
    const BLOCKERS: &[(&str, &str)] = &[
        ("smol", "smol"),
        ("async_io", "async-io"),
        ("async_channel", "async-channel"),
        ("actix", "actix"),
    ];
    BLOCKERS
        .iter()
        .filter(|(needle, _)| {
            source.lines().any(|l| {
                let code = l.split("//").next().unwrap_or("");
                code.contains(needle)
            })
        })
        .map(|(_, what)| *what)
        .collect()
}

/// mdBook 为标题生成的 id：保留字母、数字、`_` 与 `-`（转成小写），空白变成 `-`，
/// 其余字符去掉；同一页里重复的 id 依次加 `-1`、`-2`。
pub fn heading_id(title: &str) -> String {
    title
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn heading_ids(text: &str) -> BTreeSet<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut ids = BTreeSet::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut current: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(title) = current.take() {
                    let base = heading_id(&title);
                    let n = counts.entry(base.clone()).or_insert(0);
                    ids.insert(if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    });
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    ids
}

/// 章节中的相对链接（外部链接不在这里检查）。
fn md_links(text: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            let url = dest_url.to_string();
            if !url.contains("://") && !url.starts_with("mailto:") {
                out.push((text[..range.start].matches('\n').count() + 1, url));
            }
        }
    }
    out
}

fn check_link(
    chapter: &Path,
    target: &str,
    headings: &BTreeMap<PathBuf, BTreeSet<String>>,
) -> Result<(), String> {
    let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
    let page = if file.is_empty() {
        chapter.to_path_buf()
    } else {
        let p = include::resolve(chapter, file);
        if !p.exists() {
            return Err(format!("指向的文件 {} 不存在", p.display()));
        }
        p
    };
    if fragment.is_empty() {
        return Ok(());
    }
    match headings.get(&page) {
        Some(ids) if ids.contains(fragment) => Ok(()),
        Some(_) => Err(format!(
            "指向的标题 `#{fragment}` 在 {} 中不存在",
            page.display()
        )),
        None => Err(format!("指向的 {} 不是本书的章节", page.display())),
    }
}
