//! 一个示例在书中的“框架”：代码块、caption（编号、文件、运行命令）、其后的输出。
//!
//! 读者把这几部分当成一个整体来信任，检查器也把它们当成一个整体来核对（见 [`crate::book`]
//! 与 [`crate::rendered`]）。这里只负责把 Markdown 切成有先后顺序的条目，并读懂 caption。

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::markdown::Block;

/// 与 mdBook 0.5 相同的 Markdown 扩展（表格、脚注、删除线、任务列表、标题属性）。
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// 文档中按顺序排列的一个条目。
#[derive(Debug, Clone)]
pub enum Item {
    /// 代码块；`indented` 为真时是缩进四格形成的代码块（没有语言）。
    Fence { block: Block, indented: bool },
    /// `<p class="caption">…</p>`。
    Caption { line: usize, html: String },
    /// 一段正文（段落或列表项）的文字。
    Prose { line: usize, text: String },
    /// 标题。
    Heading { line: usize },
    /// 其他 HTML 块。
    Html { line: usize },
}

impl Item {
    pub fn line(&self) -> usize {
        match self {
            Item::Fence { block, .. } => block.line,
            Item::Caption { line, .. }
            | Item::Prose { line, .. }
            | Item::Heading { line }
            | Item::Html { line } => *line,
        }
    }
}

/// 字节偏移到行号（从 1 开始）。
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    pub fn of(&self, offset: usize) -> usize {
        match self.0.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// 把一篇 Markdown 切成条目。
pub fn items(text: &str) -> Vec<Item> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let mut prose: Option<(usize, String)> = None;
    let mut fence: Option<(Block, bool)> = None;
    let mut html: Option<(usize, String)> = None;
    let mut in_heading = false;
    fn flush(out: &mut Vec<Item>, prose: &mut Option<(usize, String)>) {
        if let Some((line, text)) = prose.take()
            && !text.trim().is_empty()
        {
            out.push(Item::Prose { line, text });
        }
    }
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let line = lines.of(range.start);
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut out, &mut prose);
                let (info, indented) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), false),
                    CodeBlockKind::Indented => (String::new(), true),
                };
                let lang = info
                    .split([',', ' '])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                fence = Some((
                    Block {
                        info,
                        lang,
                        body: String::new(),
                        line,
                    },
                    indented,
                ));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((block, indented)) = fence.take() {
                    out.push(Item::Fence { block, indented });
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut out, &mut prose);
                html = Some((line, String::new()));
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((line, html)) = html.take() {
                    if html.contains("class=\"caption\"") {
                        out.push(Item::Caption { line, html });
                    } else {
                        out.push(Item::Html { line });
                    }
                }
            }
            Event::Html(t) => {
                if let Some((_, h)) = html.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut out, &mut prose);
                out.push(Item::Heading { line });
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some((block, _)) = fence.as_mut() {
                    block.body.push_str(&t);
                } else if !in_heading {
                    prose
                        .get_or_insert_with(|| (line, String::new()))
                        .1
                        .push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, p)) = prose.as_mut() {
                    p.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                flush(&mut out, &mut prose);
            }
            _ => {}
        }
    }
    flush(&mut out, &mut prose);
    out
}

/// 读懂的一个 caption。
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caption {
    /// `示例 N-M` 中的 (N, M)。
    pub number: Option<(u32, u32)>,
    /// 写明了“（无法编译）”。
    pub compile_fail: bool,
    /// caption 中第一个以 `listings/` 开头的 `<code>`：示例文件。
    pub file: Option<String>,
    /// caption 中以 `cargo ` 开头（前面可以有 `RUSTFLAGS="…"` 这样的环境变量）的 `<code>`：
    /// 运行或检查它的命令。
    pub commands: Vec<String>,
}

/// 从 caption 的 HTML 读出编号、文件与命令。
pub fn parse_caption(html: &str) -> Caption {
    let mut caption = Caption {
        number: html
            .find("示例 ")
            .and_then(|i| parse_number(&html[i + "示例 ".len()..])),
        compile_fail: html.contains("（无法编译）"),
        ..Caption::default()
    };
    let mut rest = html;
    while let Some(start) = rest.find("<code>") {
        rest = &rest[start + "<code>".len()..];
        let Some(end) = rest.find("</code>") else {
            break;
        };
        let code = rest[..end].trim();
        if code.starts_with("listings/") && caption.file.is_none() {
            caption.file = Some(code.to_string());
        } else if is_cargo_command(code) {
            caption.commands.push(code.to_string());
        }
        rest = &rest[end..];
    }
    caption
}

/// `cargo …`，或者前面先设几个环境变量：`RUSTFLAGS="--cfg loom" cargo …`。
fn is_cargo_command(code: &str) -> bool {
    let mut rest = code;
    loop {
        if rest.starts_with("cargo ") {
            return true;
        }
        let Some((name, value)) = rest.split_once('=') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return false;
        }
        // 值可以带引号（引号里可以有空格），也可以是一个不含空格的词。
        let after = match value.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').map(|(_, after)| after),
            None => value.split_once(' ').map(|(_, after)| after),
        };
        match after {
            Some(after) => rest = after.trim_start(),
            None => return false,
        }
    }
}

/// `9-3…` 开头的文字中的 (9, 3)。
fn parse_number(s: &str) -> Option<(u32, u32)> {
    let digits = |s: &str| -> Option<(u32, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        Some((s[..n].parse().ok()?, n))
    };
    let (a, n) = digits(s)?;
    let rest = s[n..].strip_prefix('-')?;
    let (b, _) = digits(rest)?;
    Some((a, b))
}

/// 示例文件名 `chNN-MM-主题` 中的 (NN, MM)。
pub fn listing_number(stem: &str) -> Option<(u32, u32)> {
    let rest = stem.strip_prefix("ch")?;
    let (nn, rest) = rest.split_at_checked(2)?;
    let rest = rest.strip_prefix('-')?;
    let (mm, rest) = rest.split_at_checked(2)?;
    if !rest.starts_with('-') || !(nn.bytes().chain(mm.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((nn.parse().ok()?, mm.parse().ok()?))
}

/// 章节文件名 `chNN-….md` 中的章号。
pub fn chapter_number(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix("ch")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !rest[digits.len()..].starts_with(['-', '.']) {
        return None;
    }
    digits.parse().ok()
}

/// 一段文字中最后一次提到的“示例 N-M”。
pub fn last_mention(text: &str) -> Option<(u32, u32)> {
    text.match_indices("示例 ")
        .filter_map(|(i, m)| parse_number(&text[i + m.len()..]))
        .last()
}

/// 命令里 `--example` 之后的示例名（读者照抄的那个名字）。
pub fn example_names(command: &str) -> Vec<&str> {
    command
        .match_indices("--example")
        .filter_map(|(i, m)| {
            let rest = command[i + m.len()..].trim_start_matches([' ', '=']);
            let name: &str = rest
                .split(|c: char| c.is_whitespace() || "<`）)，,;；".contains(c))
                .next()
                .unwrap_or("");
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_are_read() {
        let c = parse_caption(
            "<p class=\"caption\">示例 9-3：说明（<code>listings/examples/ch09-03-task-local.rs</code>，\
             运行：<code>cargo run --example ch09-03-task-local</code>）</p>",
        );
        assert_eq!(c.number, Some((9, 3)));
        assert!(!c.compile_fail);
        assert_eq!(
            c.file.as_deref(),
            Some("listings/examples/ch09-03-task-local.rs")
        );
        assert_eq!(c.commands, ["cargo run --example ch09-03-task-local"]);
        let c = parse_caption(
            "<p class=\"caption\">示例 10-7（无法编译）：<code>Rc</code>（<code>listings/compile-fail/cases/ch10-07-x.rs</code>，\
             检查它确实无法编译：<code>cargo test -p listings-compile-fail</code>）</p>",
        );
        assert_eq!(c.number, Some((10, 7)));
        assert!(c.compile_fail);
        assert_eq!(c.commands, ["cargo test -p listings-compile-fail"]);
        let c = parse_caption(
            "<p class=\"caption\">示例 17-10：loom（<code>listings/loom/tests/ch17-10-x.rs</code>，运行：\
             <code>RUSTFLAGS=\"--cfg loom\" cargo test --test ch17-10-x</code>，不是命令：<code>RUSTFLAGS</code>）</p>",
        );
        assert_eq!(
            c.commands,
            ["RUSTFLAGS=\"--cfg loom\" cargo test --test ch17-10-x"]
        );
    }

    #[test]
    fn numbers_come_from_file_names() {
        assert_eq!(listing_number("ch09-03-task-local"), Some((9, 3)));
        assert_eq!(listing_number("ch21-11-bench-binary-size"), Some((21, 11)));
        assert_eq!(listing_number("chNN-MM-主题"), None);
        assert_eq!(chapter_number("ch10-smol.md"), Some(10));
        assert_eq!(chapter_number("ch03.md"), Some(3));
        assert_eq!(chapter_number("conclusion.md"), None);
        assert_eq!(
            last_mention("见示例 2-1，下面是示例 13-1 的记录："),
            Some((13, 1))
        );
        assert_eq!(
            example_names("cargo run --release --example ch21-03-bench-pool -- 1"),
            ["ch21-03-bench-pool"]
        );
    }

    #[test]
    fn items_keep_their_order() {
        let md = "# 标题\n\n一段话，\n第二行。\n\n```rust\nx\n```\n\n<p class=\"caption\">示例 1-1</p>\n\n    缩进\n";
        let kinds: Vec<String> = items(md)
            .iter()
            .map(|i| match i {
                Item::Fence { block, indented } => format!("fence:{}:{indented}", block.lang),
                Item::Caption { line, .. } => format!("caption@{line}"),
                Item::Prose { text, .. } => format!("prose:{text}"),
                Item::Heading { line } => format!("heading@{line}"),
                Item::Html { .. } => "html".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "heading@1",
                "prose:一段话， 第二行。",
                "fence:rust:false",
                "caption@10",
                "fence::true"
            ]
        );
    }
}
