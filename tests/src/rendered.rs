//! 对 mdBook 真正生成的结果再核对一遍（`cargo xtask test` 调用）：
//!
//! - `book/markdown/`（mdBook 的 markdown 渲染器输出，引入已展开）里的每个 ```rust
//!   代码块，去掉隐藏行前缀 `# ` 之后，逐字节是某个被编译示例中连续的若干行；
//!   每个 ```console 代码块逐字节等于某个 `.out` 文件（读者看到的，就是测试比对的）；
//! - 每个 caption 上面的 Rust 代码块是 caption 所说的那个示例的一部分，紧跟其后的输出
//!   （或编译器报错）就是这个示例自己的 `.out`（`.stderr`）；
//! - HTML 里每个站内链接都指向存在的页面和存在的 `id`；
//! - 每个 HTML 页面（包括打印版）的正文里，两个中文字符之间没有换行（浏览器把它显示成空格）。

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::frame::{self, Item};
use crate::include::anchor_marker;
use crate::markdown::fenced_blocks;
use crate::{compile_fail_cases, files_with_ext, listings, read};

/// 去掉锚点标记行之后的示例源码（mdBook 展开时同样去掉这些行）。
fn listing_lines(path: &Path) -> Result<Vec<String>, String> {
    Ok(read(path)?
        .lines()
        .filter(|l| anchor_marker(l).is_none())
        .map(str::to_string)
        .collect())
}

/// 把 mdBook 隐藏行（`# ` 开头，或单独一个 `#`）还原成源码。
fn unhide(line: &str) -> &str {
    if line == "#" {
        ""
    } else {
        line.strip_prefix("# ").unwrap_or(line)
    }
}

fn is_contiguous_part(block: &[&str], file: &[String]) -> bool {
    if block.is_empty() || block.len() > file.len() {
        return false;
    }
    file.windows(block.len())
        .any(|w| w.iter().zip(block).all(|(a, b)| a == b))
}

/// 检查 mdBook 输出的 Markdown 目录。
pub fn check_markdown_dir(root: &Path, dir: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let mut sources: Vec<PathBuf> = listings(root)
        .unwrap_or_default()
        .into_iter()
        .map(|l| l.source)
        .collect();
    sources.extend(compile_fail_cases(root).unwrap_or_default());
    let mut code: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for s in &sources {
        match listing_lines(s) {
            Ok(lines) => code.push((s.clone(), lines)),
            Err(e) => errors.push(e),
        }
    }
    let outputs: BTreeSet<String> = sources
        .iter()
        .filter_map(|s| std::fs::read_to_string(s.with_extension("out")).ok())
        .collect();

    let Ok(pages) = files_with_ext(dir, "md") else {
        return vec![format!("{}: 找不到 mdBook 输出的 Markdown", dir.display())];
    };
    if pages.is_empty() {
        errors.push(format!("{}: mdBook 没有输出任何页面", dir.display()));
    }
    for page in pages {
        let Ok(text) = read(&page) else { continue };
        let shown = page.file_name().unwrap().to_string_lossy().into_owned();
        if text.contains("{{#") {
            errors.push(format!(
                "{shown}: mdBook 输出中仍有未展开的 `{{{{#…}}}}` 指令（mdBook 在文件缺失时会原样发布它）"
            ));
        }
        for block in fenced_blocks(&text) {
            let at = format!("{shown}:{}", block.line);
            match block.lang.as_str() {
                "rust" => {
                    let lines: Vec<&str> = block.body.lines().map(unhide).collect();
                    let visible = block
                        .body
                        .lines()
                        .any(|l| l != "#" && !l.starts_with("# ") && !l.trim().is_empty());
                    if lines.iter().all(|l| l.trim().is_empty()) {
                        errors.push(format!("{at}: 读者看到的是一个空的 Rust 代码块"));
                    } else if !visible {
                        // mdBook 的 rustdoc_include 找不到锚点时，引入整个文件并隐藏每一行。
                        errors.push(format!(
                            "{at}: 读者看到的 Rust 代码块每一行都被隐藏了（rustdoc_include 的锚点缺失？）"
                        ));
                    } else if !code
                        .iter()
                        .any(|(_, file)| is_contiguous_part(&lines, file))
                    {
                        errors.push(format!(
                            "{at}: 这个 Rust 代码块不是任何被编译示例的一部分：\n{}",
                            block.body
                        ));
                    }
                }
                "console" => {
                    // 代码块内容末尾的换行由 Markdown 决定，比较时统一去掉。
                    let body = block.body.trim_end_matches('\n');
                    if !outputs.iter().any(|o| o.trim_end_matches('\n') == body) {
                        errors.push(format!(
                            "{at}: 这个控制台代码块不等于任何被测试比对的 .out 文件：\n{}",
                            block.body
                        ));
                    }
                }
                _ => {}
            }
        }
        check_frames(root, &shown, &text, &code, &mut errors);
    }
    errors
}

/// 一个 caption 和它上下的代码块是一个整体：读者看到的代码来自 caption 所说的文件，
/// 紧跟其后的输出就是这个文件的 `.out`（无法编译的示例：`.stderr`）。
/// 这里核对的是 mdBook 真正发布的内容，不依赖源文件检查对 mdBook 语义的复刻。
fn check_frames(
    root: &Path,
    shown: &str,
    text: &str,
    code: &[(PathBuf, Vec<String>)],
    errors: &mut Vec<String>,
) {
    let items = frame::items(text);
    let mut pending = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Fence { block, .. } if block.lang == "rust" => pending.push(block),
            Item::Fence { .. } | Item::Heading { .. } => pending.clear(),
            Item::Caption { line, html } => {
                let above = std::mem::take(&mut pending);
                let caption = frame::parse_caption(html);
                // 没有写文件或文件不存在：源文件检查会报告。
                let Some(file) = caption.file else { continue };
                let path = root.join(&file);
                if let Some((_, lines)) = code.iter().find(|(p, _)| *p == path) {
                    for block in above {
                        let shown_lines: Vec<&str> = block.body.lines().map(unhide).collect();
                        if !shown_lines.iter().all(|l| l.trim().is_empty())
                            && !is_contiguous_part(&shown_lines, lines)
                        {
                            errors.push(format!(
                                "{shown}:{}: 第 {line} 行的 caption 说这是 {file}，但它上面的这个 Rust 代码块不是 {file} 的一部分",
                                block.line
                            ));
                        }
                    }
                }
                let Some(Item::Fence { block, .. }) = items.get(i + 1) else {
                    continue;
                };
                let expected = match block.lang.as_str() {
                    "console" => path.with_extension("out"),
                    "text" if caption.compile_fail => path.with_extension("stderr"),
                    _ => continue,
                };
                let body = block.body.trim_end_matches('\n');
                let same = std::fs::read_to_string(&expected)
                    .is_ok_and(|t| t.trim_end_matches('\n') == body);
                if !same {
                    errors.push(format!(
                        "{shown}:{}: 第 {line} 行的 caption 说这是 {file}，但紧跟其后的代码块不等于它自己的 {}",
                        block.line,
                        crate::rel(root, &expected)
                    ));
                }
            }
            _ => {}
        }
    }
}

/// HTML 中 `attr="…"` 的全部取值。
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(pos) = rest.find(&needle) {
        rest = &rest[pos + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// 检查 mdBook 生成的 HTML 目录里的站内链接。
pub fn check_html_links(dir: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let Ok(pages) = files_with_ext(dir, "html") else {
        return vec![format!("{}: 找不到 mdBook 生成的 HTML", dir.display())];
    };
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        // print.html 把所有章节拼在一起，链接被改写过；toc.html 是目录框架。
        if name == "print.html" || name == "toc.html" || name == "404.html" {
            continue;
        }
        let Ok(html) = read(page) else { continue };
        let own_ids: BTreeSet<&str> = attr_values(&html, "id").into_iter().collect();
        for href in attr_values(&html, "href") {
            if href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("javascript:")
            {
                continue;
            }
            let (file, frag) = href.split_once('#').unwrap_or((href, ""));
            let file = file.split('?').next().unwrap_or("");
            let target = if file.is_empty() {
                page.clone()
            } else {
                dir.join(file)
            };
            if crate::offline::BUILT_AFTER_MDBOOK.contains(&file) {
                continue;
            }
            if !target.exists() {
                errors.push(format!("{name}: 链接 `{href}` 指向的 {file} 不存在"));
                continue;
            }
            if frag.is_empty() || target.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let ok = if target == *page {
                own_ids.contains(frag)
            } else {
                let other = std::fs::read_to_string(&target).unwrap_or_default();
                attr_values(&other, "id").contains(&frag)
            };
            if !ok {
                errors.push(format!("{name}: 链接 `{href}` 指向的标题 `#{frag}` 不存在"));
            }
        }
    }
    errors
}

/// 每个 HTML 页面（包括打印版 `print.html`）里，读者会看到的多余空格：两个中文字符
/// （或中文标点）之间含有换行的空白。它来自源文件里折了行的段落。
pub fn check_html_spacing(dir: &Path) -> Vec<String> {
    const SHOWN: usize = 5;
    let Ok(pages) = files_with_ext(dir, "html") else {
        return vec![format!("{}: 找不到 mdBook 生成的 HTML", dir.display())];
    };
    let mut errors = Vec::new();
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(html) = read(page) else { continue };
        let found = crate::cjk::html_breaks(&html);
        if found.is_empty() {
            continue;
        }
        let mut list: Vec<String> = found.iter().take(SHOWN).map(|s| format!("  {s}")).collect();
        if found.len() > SHOWN {
            list.push(format!("  ……另有 {} 处", found.len() - SHOWN));
        }
        errors.push(format!(
            "{name}: 有 {} 处两个中文字符之间的换行，浏览器把它显示成一个多余的空格（⏎ 是换行的位置）：\n{}\n在源文件里把这些段落合成一行（一段 = 一行）；`cargo test -p book-tests --test book -- book::` 会指出行号",
            found.len(),
            list.join("\n")
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_part_is_found_and_gaps_are_not() {
        let file: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert!(is_contiguous_part(&["b", "c"], &file));
        assert!(!is_contiguous_part(&["a", "c"], &file));
        assert!(!is_contiguous_part(&[], &file));
    }

    #[test]
    fn hidden_lines_are_unhidden() {
        assert_eq!(unhide("# use std::fmt;"), "use std::fmt;");
        assert_eq!(unhide("#"), "");
        assert_eq!(unhide("#[tokio::main]"), "#[tokio::main]");
    }
}
