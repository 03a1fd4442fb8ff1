//! 对书的源文件做的检查（不需要 mdBook）：
//!
//! - 章节中每条引入指令都指向存在的文件和非空、已关闭的锚点；
//! - ```rust 代码块里只有引入指令，并且引入的是被编译的示例；
//! - ```console 代码块里只有对 `.out` 文件的引入；
//! - 每个示例、每个输出文件都有章节展示；
//! - 章节之间的链接和到标题的链接都指向存在的位置；
//! - 一个示例的框架（代码块、caption、输出）是一个整体：编号与文件名一致并按顺序，
//!   caption 写的文件和命令就是它上面的示例，其下的输出是这个示例自己的输出；
//! - 每个代码块都标了语言，手写的 ```text 有正文说明它是示意；
//! - 正文（以及 `README.md`、`CONTRIBUTING.md`）提到的仓库路径、示例和 `cargo xtask` 子命令都存在；
//! - 段落不在两个中文字符之间换行（那里会显示成一个多余的空格）。

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::frame::{self, Item};
use crate::include;
use crate::markdown::{Block, fenced_blocks};
use crate::{
    LOOM_LISTINGS, ListingKind, compile_fail_cases, files_with_ext, kind_of, listings, read, rel,
    test_command,
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

    let catalog = Catalog::new(root, &examples, &compile_fail);

    // 正文点名的错误码都有据可查（见 `claims`）。
    errors.extend(crate::claims::check(root, &chapters));

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
        // 3. 示例的框架、代码块的语言、正文提到的路径和命令、中文之间的换行。
        let number = if chapter.parent() == Some(root.join("src").as_path()) {
            frame::chapter_number(&chapter.file_name().unwrap_or_default().to_string_lossy())
        } else {
            None
        };
        let doc = Doc {
            path: chapter,
            name: &name,
            offset: 0,
            chapter: number,
        };
        check_frames(&catalog, &doc, &text, &mut errors);
        check_pointers(&catalog, &name, &text, &mut errors);
        // SUMMARY.md 是目录，由 mdBook 自己解析，不作为段落渲染。
        if !name.ends_with("SUMMARY.md") {
            check_line_breaks(&name, &text, &mut errors);
        }
        headings.insert(chapter.clone(), heading_ids(&text));
        for (line, target) in md_links(&text) {
            links.push((chapter.clone(), line, target));
        }
    }

    // 3. 覆盖率：每个示例、每个输出文件都要有章节展示。
    let declared = tested_examples(root);
    for l in &examples {
        if l.kind == ListingKind::Test && !declared.contains(&l.name) {
            errors.push(format!(
                "{}: 这个示例是一组测试（有 #[cfg(test)]），listings/Cargo.toml 却没有为它声明 \
                 [[example]] name = \"{}\" 与 test = true：普通的 cargo test 不会运行它，clippy 也不检查测试代码",
                rel(root, &l.source),
                l.name
            ));
        }
        if !shown_code.contains(&l.source) {
            errors.push(format!(
                "{}: 没有任何章节用 ```rust 代码块展示这个示例。在章节中引入它，或者删除它",
                rel(root, &l.source)
            ));
        }
        let out = l.output_file();
        match l.kind {
            ListingKind::Output | ListingKind::Test | ListingKind::Loom => {
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
    for dir in [
        "listings/examples",
        "listings/compile-fail/cases",
        LOOM_LISTINGS,
    ] {
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

    // 5. README.md 与 CONTRIBUTING.md 守同样的规则；检查器的设计说明也不在中文之间换行。
    for doc in ["README.md", "CONTRIBUTING.md"] {
        let path = root.join(doc);
        if let Ok(text) = std::fs::read_to_string(&path) {
            check_top_doc(&catalog, &path, doc, &text, &mut errors);
        }
    }
    for doc in ["tests/DESIGN.md", "tests/browser/README.md"] {
        if let Ok(text) = std::fs::read_to_string(root.join(doc)) {
            check_line_breaks(doc, &text, &mut errors);
        }
    }
    errors
}

/// `listings/Cargo.toml` 里声明了 `test = true` 的示例名。
fn tested_examples(root: &Path) -> BTreeSet<String> {
    let manifest = std::fs::read_to_string(root.join("listings/Cargo.toml")).unwrap_or_default();
    manifest
        .split("[[example]]")
        .skip(1)
        .filter_map(|section| {
            // 这一节到下一个表头为止。
            let section = section.split("\n[").next().unwrap_or("");
            let value = |key: &str| {
                section.lines().find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
                })
            };
            (value("test").as_deref() == Some("true")).then(|| value("name"))?
        })
        .collect()
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
                    // 服务器不会自己结束，基准测试要在本地测量，测试要用 cargo test 运行
                    // （Run 按钮只运行 main）：都不放 Run 按钮。
                    let local_only = kind_of(&file, &source) != ListingKind::Output;
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
                            "{at}: {} 是服务器、基准测试或一组测试，只能在本地运行：代码块要标 `noplayground`",
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
        ("async_signal", "async-signal"),
        ("async_channel", "async-channel"),
        ("actix", "actix"),
        // 下面几个 crate 是否在 Playground 上，本书没有核实，一律按没有处理（宁可少一个运行按钮）。
        ("pin_project_lite", "pin-project-lite"),
        ("async_trait", "async-trait"),
        ("trait_variant", "trait-variant"),
        ("tokio_stream", "tokio-stream"),
        ("async_stream", "async-stream"),
        ("mio", "mio"),
        ("compio", "compio"),
        ("embassy_executor", "embassy-executor"),
        ("embassy_time", "embassy-time"),
        ("embassy_sync", "embassy-sync"),
        ("static_cell", "static_cell"),
        ("critical_section", "critical-section"),
        ("async_compat", "async-compat"),
        ("tower", "tower"),
        ("anyhow", "anyhow"),
        ("thiserror", "thiserror"),
        ("tracing", "tracing"),
        ("tracing_subscriber", "tracing-subscriber"),
        ("console_subscriber", "console-subscriber"),
        // 带上 `::`：`bytes` 这个词常出现在变量名和注释里。
        ("bytes::", "bytes"),
        // 第 17 章：测试工具（这些示例本来就是测试，另有规则要求它们标 noplayground）。
        ("tokio_test", "tokio-test"),
        ("turmoil", "turmoil"),
        ("loom::", "loom"),
        // 第 20 章：HTTP 服务与数据库（hyper 也挡住 hyper_util）。
        ("axum", "axum"),
        ("sqlx", "sqlx"),
        ("hyper", "hyper"),
        ("http_body_util", "http-body-util"),
        // 用 #[path] 引入另一个示例文件的程序：Playground 只收到这一个文件，编译不过。
        ("#[path", "另一个示例文件（#[path]）"),
    ];
    // 先去掉每行 `//` 之后的注释，拼成一段再逐个查找（每个词都逐行查找要慢几十倍）。
    // 词里没有换行，拼接用的换行不会造出原本不存在的匹配。
    let code: String = source
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    BLOCKERS
        .iter()
        .filter(|(needle, _)| code.contains(needle))
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

// ---------------------------------------------------------------------------
// 示例的框架
// ---------------------------------------------------------------------------

/// 一个示例文件是哪一种。
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Run(ListingKind),
    CompileFail,
}

/// 仓库里有哪些示例、`cargo xtask` 有哪些子命令：框架和正文里的路径、命令都对照它。
struct Catalog<'a> {
    root: &'a Path,
    listings: BTreeMap<PathBuf, Kind>,
    xtask: Vec<String>,
}

impl<'a> Catalog<'a> {
    fn new(root: &'a Path, examples: &[crate::Listing], compile_fail: &[PathBuf]) -> Self {
        let mut listings = BTreeMap::new();
        for l in examples {
            listings.insert(l.source.clone(), Kind::Run(l.kind.clone()));
        }
        for c in compile_fail {
            listings.insert(c.clone(), Kind::CompileFail);
        }
        // `cargo xtask` 的子命令就是 tests/xtask.rs 里 `Some("…") =>` 分支的名字。
        let xtask = std::fs::read_to_string(root.join("tests/xtask.rs"))
            .unwrap_or_default()
            .split("Some(\"")
            .skip(1)
            .filter_map(|rest| {
                let (name, after) = rest.split_once('"')?;
                after
                    .trim_start()
                    .strip_prefix(')')?
                    .trim_start()
                    .starts_with("=>")
                    .then(|| name.to_string())
            })
            .collect();
        Catalog {
            root,
            listings,
            xtask,
        }
    }

    /// 编号为 N-M 的示例（文件名以 chNN-MM- 开头）。
    fn by_number(&self, number: (u32, u32)) -> Option<&Path> {
        self.listings
            .keys()
            .find(|p| frame::listing_number(&stem(p)) == Some(number))
            .map(PathBuf::as_path)
    }

    fn rel(&self, path: &Path) -> String {
        rel(self.root, path)
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// 正在检查的一篇文档。
struct Doc<'a> {
    /// 引入指令的路径相对于它所在的目录。
    path: &'a Path,
    /// 报错时显示的名字。
    name: &'a str,
    /// 这段文字在文档中开始之前的行数（嵌在代码块里的示范）。
    offset: usize,
    /// 章号（`src/chNN-….md`）；有章号时，示例编号必须属于这一章并按顺序排列。
    chapter: Option<u32>,
}

impl Doc<'_> {
    fn at(&self, line: usize) -> String {
        format!("{}:{}", self.name, line + self.offset)
    }
}

/// 一个示例的框架是一个整体：代码块在前，caption 在后，caption 之后紧跟这个示例自己的输出。
fn check_frames(cat: &Catalog, doc: &Doc, text: &str, errors: &mut Vec<String>) {
    let items = frame::items(text);
    // caption 之前、尚未被 caption 说明的 ```rust 代码块：（行号，引入的文件）。
    let mut pending: Vec<(usize, Vec<PathBuf>)> = Vec::new();
    let mut next_number: u32 = 1;
    let no_caption = |pending: &mut Vec<(usize, Vec<PathBuf>)>, errors: &mut Vec<String>| {
        if let Some((line, _)) = pending.first() {
            errors.push(format!(
                "{}: 示例代码块之后没有 caption。在代码块之后写 \
                 `<p class=\"caption\">示例 N-M：说明（<code>listings/examples/chNN-MM-主题.rs</code>，运行：<code>cargo run --example chNN-MM-主题</code>）</p>`，\
                 读者才知道它是哪个示例、怎样运行",
                doc.at(*line)
            ));
        }
        pending.clear();
    };
    for (i, item) in items.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| items.get(j));
        match item {
            Item::Fence { block, indented } => {
                let at = doc.at(block.line);
                if *indented {
                    no_caption(&mut pending, errors);
                    errors.push(format!(
                        "{at}: 缩进四格的文字成了一个没有语言的代码块。去掉缩进；要展示代码或示意，用标了语言的围栏代码块（```rust 引入示例，```text 写示意）"
                    ));
                    continue;
                }
                let files: Vec<PathBuf> = include::directives(&block.body)
                    .0
                    .iter()
                    .map(|d| include::resolve(doc.path, &d.path))
                    .collect();
                if block.lang == "rust" {
                    pending.push((block.line, files));
                    continue;
                }
                no_caption(&mut pending, errors);
                match (block.lang.as_str(), files.is_empty()) {
                    ("", _) => errors.push(format!(
                        "{at}: 代码块没有标语言。示例用 ```rust 引入，输出用 ```console 引入，示意用 ```text 并在正文中说明它是示意"
                    )),
                    ("console", false) => check_output(cat, &at, prev, &files, "out", errors),
                    ("text", false)
                        if files
                            .iter()
                            .any(|f| f.extension().is_some_and(|e| e == "stderr")) =>
                    {
                        check_output(cat, &at, prev, &files, "stderr", errors);
                    }
                    ("text", true) => {
                        let announced = matches!(prev, Some(Item::Prose { text, .. }) if text.contains("示意"));
                        if !announced {
                            errors.push(format!(
                                "{at}: 手写的 ```text 代码块没有被任何测试检查过。紧挨在它前面的那段话要说明它是示意（写出“示意”），读者才不会把它当成运行过的程序或输出"
                            ));
                        }
                    }
                    // 手写的 ```console 已由代码块检查报告。
                    ("console", true) => {}
                    (lang, true) => errors.push(format!(
                        "{at}: 手写的 ```{lang} 代码块没有被任何测试检查过。Rust 代码放进 listings/ 的示例再引入；示意用 ```text，并在前面那段话里说明它是示意"
                    )),
                    _ => {}
                }
            }
            Item::Caption { line, html } => {
                let at = doc.at(*line);
                let code: Vec<(usize, Vec<PathBuf>)> = std::mem::take(&mut pending);
                let next = items.get(i + 1);
                check_caption(cat, doc, &at, html, &code, next, &mut next_number, errors);
            }
            // 一个示例的几个代码块可以分在几个小节里，caption 跟在最后一个之后。
            _ => {}
        }
    }
    no_caption(&mut pending, errors);
}

#[allow(clippy::too_many_arguments)]
fn check_caption(
    cat: &Catalog,
    doc: &Doc,
    at: &str,
    html: &str,
    code: &[(usize, Vec<PathBuf>)],
    next: Option<&Item>,
    next_number: &mut u32,
    errors: &mut Vec<String>,
) {
    let c = frame::parse_caption(html);
    let Some(number) = c.number else {
        errors.push(format!(
            "{at}: caption 没有写编号。写成 `示例 N-M：说明（<code>listings/examples/chNN-MM-主题.rs</code>，运行：<code>cargo run --example chNN-MM-主题</code>）`"
        ));
        return;
    };
    let shown = format!("示例 {}-{}", number.0, number.1);
    // 编号属于这一章，并且从 1 开始连续。
    if let Some(chapter) = doc.chapter {
        if number.0 != chapter {
            errors.push(format!(
                "{at}: 第 {chapter} 章里的示例编号应是 {chapter}-M，这里写的是 {shown}"
            ));
        } else {
            if number.1 != *next_number {
                errors.push(format!(
                    "{at}: 示例编号没有按顺序：这里应是示例 {chapter}-{}，写的是 {shown}。一章里的示例从 1 开始连续编号，可运行的与无法编译的共用一套编号；改编号时示例文件名 chNN-MM 也要一起改",
                    *next_number
                ));
            }
            *next_number = number.1 + 1;
        }
    }
    let Some(file) = c.file.as_deref() else {
        errors.push(format!(
            "{at}: {shown} 的 caption 没有写出示例文件。在括号里写 <code>listings/examples/chNN-MM-主题.rs</code>（无法编译的示例写 listings/compile-fail/cases/ 下的文件）"
        ));
        return;
    };
    let path = cat.root.join(file);
    let Some(kind) = cat.listings.get(&path) else {
        errors.push(format!(
            "{at}: {shown} 的 caption 写的示例文件 {file} 不存在（示例在 listings/examples/*.rs，无法编译的示例在 listings/compile-fail/cases/*.rs）"
        ));
        return;
    };
    let name = stem(&path);
    if frame::listing_number(&name) != Some(number) {
        errors.push(format!(
            "{at}: caption 写的是 {shown}，文件却是 {file}：编号与文件名要一致（示例 N-M 的文件是 chNN-MM-主题.rs）。改编号，或者改文件名"
        ));
    }
    // caption 说明的就是紧挨在它上面的代码块。
    if code.is_empty() {
        errors.push(format!(
            "{at}: {shown} 的 caption 之前没有示例代码块。caption 放在它说明的 ```rust 代码块之后"
        ));
    }
    for (line, files) in code {
        if let Some(other) = files.iter().find(|f| **f != path) {
            errors.push(format!(
                "{at}: caption 说的是 {file}，但它上面第 {} 行的代码块引入的是 {}。caption 要写紧挨在它上面的那个示例；那个代码块若属于另一个示例，在它之后给它自己的 caption",
                line + doc.offset,
                cat.rel(other)
            ));
        }
    }
    // 运行或检查它的命令。
    let mut expected_next = None;
    match kind {
        Kind::CompileFail => {
            if !c.compile_fail {
                errors.push(format!(
                    "{at}: {file} 是故意无法编译的示例，caption 要写成“{shown}（无法编译）：…”"
                ));
            }
            if !c
                .commands
                .iter()
                .any(|cmd| cmd == "cargo test -p listings-compile-fail")
            {
                errors.push(format!(
                    "{at}: {shown} 的 caption 要给出核对它的命令：检查它确实无法编译：<code>cargo test -p listings-compile-fail</code>"
                ));
            }
            expected_next = Some(("text", path.with_extension("stderr")));
        }
        Kind::Run(listing_kind) => {
            if c.compile_fail {
                errors.push(format!(
                    "{at}: {file} 是能编译的示例，caption 却写了“（无法编译）”"
                ));
            }
            // 测试示例：caption 写的就是运行这组测试的命令。
            if let Some(expected) = test_command(listing_kind, &name) {
                if !c.commands.contains(&expected) {
                    errors.push(format!(
                        "{at}: {file} 是一组测试，caption 要写运行它的命令：运行：<code>{expected}</code>"
                    ));
                }
                expected_next = Some(("console", path.with_extension("out")));
            }
            let runs: Vec<&String> = c
                .commands
                .iter()
                .filter(|cmd| cmd.starts_with("cargo run"))
                .collect();
            if runs.is_empty() && expected_next.is_none() {
                errors.push(format!(
                    "{at}: {shown} 的 caption 没有运行命令。写上“运行：<code>cargo run --example {name}</code>”"
                ));
            }
            for cmd in runs {
                let names = frame::example_names(cmd);
                if names.is_empty() {
                    errors.push(format!(
                        "{at}: caption 里的命令 `{cmd}` 没有写 `--example {name}`"
                    ));
                }
                for other in names.into_iter().filter(|n| *n != name) {
                    errors.push(format!(
                        "{at}: caption 里的命令 `{cmd}` 运行的是 {other}，不是这个示例。改成 `cargo run --example {name}`"
                    ));
                }
            }
            if *listing_kind == ListingKind::Output {
                expected_next = Some(("console", path.with_extension("out")));
            }
        }
    }
    // 其后紧跟这个示例自己的输出（引入的文件是否正确由输出代码块自己检查）。
    if let Some((lang, out)) = expected_next {
        let follows = matches!(next, Some(Item::Fence { block, .. })
            if block.lang == lang && !include::directives(&block.body).0.is_empty());
        if !follows {
            let what = if lang == "text" {
                "编译器的报错"
            } else {
                "运行的输出"
            };
            errors.push(format!(
                "{at}: {shown} 的 caption 之后应紧跟它{what}：```{lang} 代码块，内容是 {{{{#include ../{}}}}}",
                cat.rel(&out)
            ));
        }
    }
}

/// 输出（`.out`）或编译器报错（`.stderr`）必须属于紧挨在它上面的示例：
/// 上一条是那个示例的 caption，或者上一段话写明了“示例 N-M”。
fn check_output(
    cat: &Catalog,
    at: &str,
    prev: Option<&Item>,
    files: &[PathBuf],
    ext: &str,
    errors: &mut Vec<String>,
) {
    let what = if ext == "out" {
        "输出"
    } else {
        "编译器报错"
    };
    let owner: Option<PathBuf> = match prev {
        Some(Item::Caption { html, .. }) => {
            frame::parse_caption(html).file.map(|f| cat.root.join(f))
        }
        Some(Item::Prose { text, .. }) => frame::last_mention(text)
            .and_then(|n| cat.by_number(n))
            .map(Path::to_path_buf),
        _ => None,
    };
    let Some(owner) = owner else {
        errors.push(format!(
            "{at}: 这段{what}不在示例的框架里，读者不知道它属于哪个示例。把它紧接在那个示例的 caption 之后，或者在它前面的那段话里写明“示例 N-M”"
        ));
        return;
    };
    let expected = owner.with_extension(ext);
    for f in files {
        if *f != expected {
            errors.push(format!(
                "{at}: 这里展示的{what}是 {}，而它上面的示例是 {}：应当引入它自己的 {}",
                cat.rel(f),
                cat.rel(&owner),
                cat.rel(&expected)
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// README.md、CONTRIBUTING.md
// ---------------------------------------------------------------------------

/// README.md 与 CONTRIBUTING.md 不经过 mdBook：其中的引入不会展开，手写的代码不会被编译。
/// 所以这里不能有 Rust 代码块；```console 只写读者要输入的命令；```markdown 代码块是
/// 在章节里展示示例的示范，按章节的规则（引入、框架）检查。命令和路径由 [`check_pointers`] 检查。
fn check_top_doc(cat: &Catalog, path: &Path, name: &str, text: &str, errors: &mut Vec<String>) {
    let items = frame::items(text);
    for (i, item) in items.iter().enumerate() {
        let Item::Fence { block, indented } = item else {
            continue;
        };
        let at = format!("{name}:{}", block.line);
        if *indented || block.lang.is_empty() {
            errors.push(format!(
                "{at}: 代码块没有标语言。命令用 ```console（每行以 `$ ` 开头），示意用 ```text，在章节里展示示例的示范用 ```markdown"
            ));
            continue;
        }
        match block.lang.as_str() {
            "rust" => errors.push(format!(
                "{at}: {name} 不经过 mdBook：```rust 代码块里的引入不会展开，手写的代码也不会被编译。示例放进章节，这里只写运行它的命令"
            )),
            "console" => {
                for (k, l) in block.body.lines().enumerate() {
                    if !l.trim().is_empty() && !l.starts_with("$ ") {
                        errors.push(format!(
                            "{name}:{}: ```console 代码块在这里只写读者要输入的命令（每行以 `$ ` 开头）：{name} 不经过 mdBook，输出无法从 .out 文件引入，也就没有被核对",
                            block.line + 1 + k
                        ));
                    }
                }
            }
            "text" => {
                let prev = i.checked_sub(1).and_then(|j| items.get(j));
                if !matches!(prev, Some(Item::Prose { text, .. }) if text.contains("示意")) {
                    errors.push(format!(
                        "{at}: 手写的 ```text 代码块没有被任何测试检查过。紧挨在它前面的那段话要说明它是示意（写出“示意”）"
                    ));
                }
            }
            "markdown" => check_example_doc(cat, name, block, errors),
            lang => errors.push(format!(
                "{at}: 手写的 ```{lang} 代码块没有被任何测试检查过。命令用 ```console，示意用 ```text"
            )),
        }
    }
    check_pointers(cat, name, text, errors);
    check_line_breaks(name, text, errors);
    // 相对链接指向仓库里存在的文件。
    let dir = path.parent().unwrap_or(cat.root);
    for (line, target) in md_links(text) {
        let file = target.split('#').next().unwrap_or("");
        if !file.is_empty() && !dir.join(file).exists() {
            errors.push(format!(
                "{name}:{line}: 链接 `{target}` 指向的 {file} 在仓库里不存在"
            ));
        }
    }
}

/// ```markdown 代码块里示范的章节片段：它的引入、代码块和框架都要是真的，
/// 读者照抄它，得到的就是一个能通过检查的示例。
fn check_example_doc(cat: &Catalog, name: &str, block: &Block, errors: &mut Vec<String>) {
    // 示范写在章节里：引入的路径相对于 src/。
    let virtual_path = cat.root.join("src").join(name);
    let doc = Doc {
        path: &virtual_path,
        name,
        offset: block.line,
        chapter: None,
    };
    let (ds, bad) = include::directives(&block.body);
    for (line, e) in bad {
        errors.push(format!("{}: {e}", doc.at(line)));
    }
    for d in &ds {
        if let Err(e) = include::expand(&virtual_path, d) {
            errors.push(format!("{}: {e}", doc.at(d.line)));
        }
    }
    let examples: BTreeSet<PathBuf> = cat
        .listings
        .iter()
        .filter(|(_, k)| matches!(k, Kind::Run(_)))
        .map(|(p, _)| p.clone())
        .collect();
    let compile_fail: BTreeSet<PathBuf> = cat
        .listings
        .iter()
        .filter(|(_, k)| **k == Kind::CompileFail)
        .map(|(p, _)| p.clone())
        .collect();
    // 示范不算“章节展示了这个示例”：覆盖率只看真正的章节。
    let (mut code, mut out) = (BTreeSet::new(), BTreeSet::new());
    for inner in fenced_blocks(&block.body) {
        let shifted = Block {
            line: inner.line + block.line,
            ..inner
        };
        check_block(
            cat.root,
            &virtual_path,
            name,
            &shifted,
            &examples,
            &compile_fail,
            &mut code,
            &mut out,
            errors,
        );
    }
    check_frames(cat, &doc, &block.body, errors);
}

// ---------------------------------------------------------------------------
// 正文提到的路径与命令、中文之间的换行
// ---------------------------------------------------------------------------

/// 正文里用代码字体写出的仓库路径（`listings/…`、`tests/…`、`src/…`、`theme/…`、`.ci/…`）
/// 和命令（`cargo run --example X`、`cargo xtask 子命令`）必须指向存在的东西。
/// 引用某个 crate 源码的 `src/…`（见 [`is_book_source`]）不在此列。
fn check_pointers(cat: &Catalog, name: &str, text: &str, errors: &mut Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let lines = frame::Lines::new(text);
    let mut typed_fence: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(text, frame::options()).into_offset_iter() {
        let line = lines.of(range.start);
        match event {
            Event::Code(code) => {
                check_path(cat, name, line, &code, errors);
                check_commands(cat, name, line, &code, errors);
            }
            Event::Start(Tag::CodeBlock(_)) => typed_fence = Some((line + 1, String::new())),
            Event::Text(t) => {
                if let Some((_, body)) = typed_fence.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((first, body)) = typed_fence.take()
                    && !body.contains("{{#")
                {
                    check_commands(cat, name, first, &body, errors);
                }
            }
            _ => {}
        }
    }
}

const REPO_PREFIXES: &[&str] = &["listings/", "tests/", "src/", "theme/", ".ci/"];

fn check_path(cat: &Catalog, name: &str, line: usize, code: &str, errors: &mut Vec<String>) {
    let code = code.trim();
    if code.contains(char::is_whitespace)
        || code.contains("{{")
        || !REPO_PREFIXES.iter().any(|p| code.starts_with(p))
        || (code.starts_with("src/") && !is_book_source(code))
    {
        return;
    }
    if !path_exists(cat.root, code) {
        errors.push(format!(
            "{name}:{line}: `{code}` 在仓库里不存在。改成存在的路径；如果它指的是某个 crate 源码里的文件，写明 crate 与版本（例如 `tokio-1.54.1/src/…`）"
        ));
    }
}

/// 本书的 `src/` 里只有章节（`.md`）和插图（`src/img/`）；`src/runtime/io/driver.rs`、
/// `src/sys/windows/` 之类的写法是在引用某个 crate 的源码（正文在旁边写明了 crate）。
fn is_book_source(path: &str) -> bool {
    let rest = &path["src/".len()..];
    rest.is_empty() || rest.ends_with(".md") || rest.starts_with("img/") || rest == "img"
}

/// 路径是否存在。最后一段可以是模式：`*`、`?`，或者命名约定里的占位符
/// （`chNN-MM-主题.rs` 中的 `NN`、`MM` 各代表两位数字，中文代表任意文字），至少要匹配一个文件。
fn path_exists(root: &Path, path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let (dir, last) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let is_pattern =
        last.contains(['*', '?']) || last.contains("NN") || last.contains("MM") || !last.is_ascii();
    if !is_pattern {
        return root.join(trimmed).exists();
    }
    let mut pattern = String::new();
    let mut in_placeholder = false;
    for c in last.replace("NN", "??").replace("MM", "??").chars() {
        if c.is_ascii() {
            pattern.push(c);
            in_placeholder = false;
        } else if !in_placeholder {
            pattern.push('*');
            in_placeholder = true;
        }
    }
    std::fs::read_dir(root.join(dir))
        .map(|entries| {
            entries
                .flatten()
                .any(|e| wildcard(&pattern, &e.file_name().to_string_lossy()))
        })
        .unwrap_or(false)
}

/// `*` 匹配任意多个字符，`?` 匹配一个。
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// 一段文字里的 `cargo run --example X` 与 `cargo xtask 子命令 [过滤]`。
/// 占位符（`示例名`、`chNN-MM-主题`、`[过滤]`）不检查。
fn check_commands(cat: &Catalog, name: &str, first: usize, text: &str, errors: &mut Vec<String>) {
    let placeholder = |s: &str| !s.is_ascii() || s.starts_with(['[', '<', '{', '#']);
    for (k, l) in text.lines().enumerate() {
        let at = format!("{name}:{}", first + k);
        if l.contains("cargo run") || l.contains("cargo test") {
            for example in frame::example_names(l) {
                if !placeholder(example)
                    && !cat
                        .root
                        .join("listings/examples")
                        .join(format!("{example}.rs"))
                        .exists()
                {
                    errors.push(format!(
                        "{at}: `--example {example}` 指的示例不存在（没有 listings/examples/{example}.rs）"
                    ));
                }
            }
        }
        for (i, m) in l.match_indices("cargo xtask ") {
            let mut words = l[i + m.len()..].split_whitespace();
            let Some(sub) = words.next() else { continue };
            let sub = sub.trim_end_matches(['`', '）', '，', '。']);
            if placeholder(sub) || cat.xtask.is_empty() {
                continue;
            }
            if !cat.xtask.iter().any(|x| x == sub) {
                errors.push(format!(
                    "{at}: `cargo xtask {sub}` 不存在。已有的子命令：{}（见 tests/xtask.rs）",
                    cat.xtask.join("、")
                ));
            } else if sub == "bless"
                && let Some(filter) = words.next()
                && !placeholder(filter)
                && !cat.listings.keys().any(|p| stem(p).contains(filter))
            {
                errors.push(format!(
                    "{at}: `cargo xtask bless {filter}` 不会重新生成任何文件：没有名字含 `{filter}` 的示例"
                ));
            }
        }
    }
}

fn check_line_breaks(name: &str, text: &str, errors: &mut Vec<String>) {
    for (line, snippet) in crate::cjk::markdown_breaks(text) {
        errors.push(format!(
            "{name}:{line}: 段落在两个中文字符之间换了行（{snippet}），读者会在这里看到一个多余的空格。把这一段合成一行：一段 = 一行"
        ));
    }
}
