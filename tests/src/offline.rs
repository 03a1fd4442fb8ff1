//! 离线版（PDF 与 EPUB）的核对：构建由 `tests/xtask/offline.rs` 完成，这里只有读文本、
//! 给出问题清单的函数，`tests/offline.rs` 用坏样本证明它们会报错。
//!
//! 期望的内容都从仓库里读出，不手写：目录结构来自 `src/SUMMARY.md`，
//! 每个示例要在 PDF 里找到的那一行来自章节引入的示例文件。

use std::path::Path;

/// `cargo xtask build` 在 mdBook 之后放进站点的文件（前言里有指向它们的链接）。只用 mdBook 构建的
/// 输出里没有它们，所以渲染核对不把指向它们的链接算作坏链接；`cargo xtask test` 的离线版核对
/// 检查真正构建出的站点里有它们，并且前言链接到它们。
pub const BUILT_AFTER_MDBOOK: &[&str] = &["rust-async-book.pdf", "rust-async-book.epub"];

use crate::include;

/// `SUMMARY.md` 的一项。
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// 部分标题（`# 第一部分 …`）。
    Part(String),
    /// 一章：标题、文件、是否属于某个部分。
    Chapter {
        title: String,
        file: String,
        in_part: bool,
    },
}

/// 读懂 `SUMMARY.md`：第一个 `# ` 是目录自己的标题，之后的 `# ` 是部分；
/// `[标题](文件)` 与 `- [标题](文件)` 是章；`---` 之后的章不属于任何部分。
pub fn parse_summary(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut seen_title = false;
    let mut in_part = false;
    for line in text.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("# ") {
            if seen_title {
                out.push(Entry::Part(h.trim().to_string()));
                in_part = true;
            }
            seen_title = true;
        } else if t == "---" {
            in_part = false;
        } else {
            let item = t.strip_prefix("- ").unwrap_or(t);
            if let Some(rest) = item.strip_prefix('[')
                && let Some((title, rest)) = rest.split_once("](")
                && let Some(file) = rest.strip_suffix(')')
            {
                out.push(Entry::Chapter {
                    title: title.to_string(),
                    file: file.to_string(),
                    in_part,
                });
            }
        }
    }
    out
}

/// 目录期望的两级结构：（层级，标题）。部分与不属于部分的章在第 1 级，部分里的章在第 2 级。
pub fn expected_toc(entries: &[Entry]) -> Vec<(usize, String)> {
    entries
        .iter()
        .map(|e| match e {
            Entry::Part(t) => (1, t.clone()),
            Entry::Chapter { title, in_part, .. } => (if *in_part { 2 } else { 1 }, title.clone()),
        })
        .collect()
}

/// 去掉全部空白：PDF 里的代码行可能折行，pdftotext 的换行和空格不可靠。
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// 比较文字时的形式：去掉空白和连字符。代码行恰好在 `-` 处折行时（`pin-project-lite`），
/// pdftotext 把行末的 `-` 当作断词符号删掉。
fn comparable(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// 书里展示的一个示例文件，以及要在 PDF 里找到的那一行。
#[derive(Debug, Clone)]
pub struct ListingLine {
    /// 展示它的章节（相对仓库根目录）。
    pub chapter: String,
    /// 示例文件（相对仓库根目录）。
    pub file: String,
    /// 读者看得见的最长的一行（去掉首尾空白）。
    pub line: String,
}

/// 每章引入的每个 `.rs` 示例（同一章里同一个文件只取一次），取读者看得见的最长的一行：
/// 不是 `# ` 开头的隐藏行，也不是锚点标记。最长的一行几乎总是独一无二的。
pub fn listing_lines(root: &Path, entries: &[Entry]) -> Result<Vec<ListingLine>, String> {
    let mut out: Vec<ListingLine> = Vec::new();
    for e in entries {
        let Entry::Chapter { file, .. } = e else {
            continue;
        };
        let chapter = root.join("src").join(file);
        let text = crate::read(&chapter)?;
        let (directives, _) = include::directives(&text);
        for d in directives.iter().filter(|d| d.path.ends_with(".rs")) {
            let (path, shown) = include::expand(&chapter, d)?;
            let file = crate::rel(root, &path);
            let chapter = crate::rel(root, &chapter);
            if out.iter().any(|l| l.file == file && l.chapter == chapter) {
                continue;
            }
            // mdBook 在 Rust 代码块里隐藏 `# ` 开头的行（rustdoc_include 把锚点之外的行变成这样）。
            let visible = shown.lines().filter(|l| {
                let t = l.trim();
                !t.is_empty() && t != "#" && !t.starts_with("# ")
            });
            let best = visible.max_by_key(|l| squeeze(l).chars().count());
            match best {
                Some(line) => out.push(ListingLine {
                    chapter,
                    file,
                    line: line.trim().to_string(),
                }),
                None => {
                    return Err(format!(
                        "{chapter}：`{}` 展示的内容全是隐藏行，读者什么也看不到。请检查锚点。",
                        d.raw
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// PDF 的文字（pdftotext 的输出）里要有每个部分与每章的标题，和每个示例的那一行。
pub fn check_pdf_text(
    pdf: &str,
    text: &str,
    entries: &[Entry],
    listings: &[ListingLine],
) -> Vec<String> {
    let hay = comparable(text);
    let mut errors = Vec::new();
    for (_, title) in expected_toc(entries) {
        if !hay.contains(&comparable(&title)) {
            errors.push(format!(
                "{pdf}：找不到 src/SUMMARY.md 里的标题“{title}”。这一章（或部分）没有进入打印版：\
                 检查 print.html 是否包含它，以及 tests/browser/print-book.mjs 的输出。"
            ));
        }
    }
    for l in listings {
        if !hay.contains(&comparable(&l.line)) {
            errors.push(format!(
                "{pdf}：找不到 {} 展示的示例 {} 中的这一行：`{}`。代码块可能被截断、隐藏或字形缺失：\
                 用 `pdftoppm -r 60 -f 页码 -l 页码 -png` 看一看那一页。",
                l.chapter, l.file, l.line
            ));
        }
    }
    errors
}

/// `pdffonts` 的输出：每个字体都嵌入（emb 一栏为 yes），并且有一个按名字嵌入的中文字体。
pub fn check_pdffonts(pdf: &str, output: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let mut cjk = false;
    let mut rows = 0;
    for line in output.lines().skip_while(|l| !l.starts_with("---")).skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // 从右往左数：object ID 的两栏、uni、sub、emb。
        if cols.len() < 7 {
            continue;
        }
        rows += 1;
        let name = cols[0];
        let emb = cols[cols.len() - 5];
        if emb != "yes" {
            errors.push(format!(
                "{pdf}：字体 {name} 没有嵌入（pdffonts 的 emb 一栏是 {emb}）。没有这个字体的读者会看到别的字形或方框：\
                 检查 theme/reader.css 打印样式里的字体栈。"
            ));
        }
        if ["WenQuanYi", "CJK", "SourceHanSans"]
            .iter()
            .any(|k| name.contains(k))
            && emb == "yes"
        {
            cjk = true;
        }
    }
    if rows == 0 {
        errors.push(format!(
            "{pdf}：pdffonts 没有列出任何字体。输出：\n{output}"
        ));
    } else if !cjk {
        errors.push(format!(
            "{pdf}：pdffonts 里没有按名字嵌入的中文字体（期望 WenQuanYi Micro Hei）。\
             请运行 `cargo xtask tools` 安装 fonts-wqy-microhei，并检查 theme/reader.css 打印样式里的字体栈。"
        ));
    }
    errors
}

/// 合理的页数范围，由正文的字数推出（`chars` 是 pdftotext 输出中非空白字符的个数）：
/// 一页 A4 在本书的字号下放不下 3000 个非空白字符（实测最满的一页约 2100 个），
/// 平均每页不到 300 个说明大量页面是空白（例如每个代码块都被推到了新的一页）。
/// 每章和每个部分都从新的一页开始，所以页数至少是章数加部分数。
pub fn page_bounds(chars: usize, chapters: usize, parts: usize) -> (usize, usize) {
    let min = (chars / 3000).max(chapters + parts);
    let max = chars / 300;
    (min, max)
}

pub fn check_page_count(pdf: &str, pages: usize, chars: usize, entries: &[Entry]) -> Vec<String> {
    let chapters = entries
        .iter()
        .filter(|e| matches!(e, Entry::Chapter { .. }))
        .count();
    let parts = entries.len() - chapters;
    let (min, max) = page_bounds(chars, chapters, parts);
    if pages < min || pages > max {
        vec![format!(
            "{pdf}：{pages} 页，不在合理范围 {min}–{max} 页之内（正文 {chars} 个非空白字符，{chapters} 章，{parts} 个部分；\
             范围的由来见 book_tests::offline::page_bounds）。页数太多说明有大片空白页，太少说明内容缺失：\
             用 `pdftoppm -r 60` 看几页。"
        )]
    } else {
        Vec::new()
    }
}

/// 目录的前两级：从嵌套的列表里取（层级，文字）。`open` 是开始一层的标签名，
/// `item` 是一项的标签名：PDF 的书签（`pdftohtml -xml` 输出的 `<outline>` 与 `<item>`），
/// EPUB 的目录（`nav.xhtml` 里的 `<ol>` 与 `<a>`）。
pub fn nested_items(xml: &str, open: &str, item: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut rest = xml;
    let open_tag = format!("<{open}");
    let close_tag = format!("</{open}>");
    let item_tag = format!("<{item}");
    let item_close = format!("</{item}>");
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with(&close_tag) {
            depth = depth.saturating_sub(1);
            rest = &rest[close_tag.len()..];
        } else if rest.starts_with(&open_tag) && rest[open_tag.len()..].starts_with(['>', ' ']) {
            depth += 1;
            rest = &rest[open_tag.len()..];
        } else if rest.starts_with(&item_tag) && rest[item_tag.len()..].starts_with(['>', ' ']) {
            let Some(end) = rest.find(&item_close) else {
                break;
            };
            let inner = &rest[rest.find('>').map_or(0, |g| g + 1)..end];
            out.push((depth, strip_tags(inner)));
            rest = &rest[end + item_close.len()..];
        } else {
            rest = &rest[1..];
        }
    }
    out
}

/// 目录条目的文字：去掉标签（`cjk::strip_tags`），再还原 XHTML 的字符实体。
fn strip_tags(s: &str) -> String {
    // `&amp;` 最后还原：先还原它会把 `&amp;lt;` 错当成 `<`。
    crate::cjk::strip_tags(s)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

/// 章节标题前 mdBook 加的编号（“9. ”）。
fn without_number(title: &str) -> &str {
    match title.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => title,
    }
}

/// 目录（PDF 的书签或 EPUB 的 nav）的前两级必须与 `SUMMARY.md` 一一对应。
pub fn check_toc(what: &str, found: &[(usize, String)], entries: &[Entry]) -> Vec<String> {
    let expected = expected_toc(entries);
    let parts: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Part(t) => Some(t.as_str()),
            Entry::Chapter { .. } => None,
        })
        .collect();
    // 第二级只看部分下面的章；不属于部分的章（前言、结语……）下面的第二级是它们的节。
    let mut under_part = false;
    let mut got: Vec<(usize, String)> = Vec::new();
    for (d, t) in found {
        let t = without_number(t).to_string();
        match d {
            1 => {
                under_part = parts.contains(&t.as_str());
                got.push((1, t));
            }
            2 if under_part => got.push((2, t)),
            _ => {}
        }
    }
    if got == expected {
        return Vec::new();
    }
    let show = |v: &[(usize, String)]| {
        v.iter()
            .map(|(d, t)| format!("{}{t}", "  ".repeat(d - 1)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    vec![format!(
        "{what}：目录的前两级与 src/SUMMARY.md 不一致（部分与不属于部分的章在第一级，部分里的章在第二级）。\n\
         期望：\n{}\n实际：\n{}\n\
         每章要恰好有一个一级标题；部分标题由 tests/browser/print-book.mjs 按 mdBook 的目录插入。",
        show(&expected),
        show(&got)
    )]
}
