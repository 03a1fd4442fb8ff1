//! 两个中文字符之间的换行。
//!
//! Markdown 把段落里的换行当成空白；Chromium 把这种空白显示成一个空格，即使它两边都是汉字
//! （CSS 的“分段换行变换”规则允许浏览器在中文之间去掉它，Chromium 没有这样做）。所以一段
//! 中文在源文件里折行，读者就会在句子中间看到一个多余的空格。本书的约定是一段 = 一行；
//! 这里的两个函数分别在 Markdown 源文件和 mdBook 生成的 HTML 里找出违反它的地方。

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::frame::{Lines, options};

/// 中文（以及日文、韩文）的字符和全角标点。
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // 部首
        | '\u{3000}'..='\u{303F}' // 中文标点：、。「」【】……
        | '\u{3040}'..='\u{30FF}' // 假名
        | '\u{3100}'..='\u{312F}' // 注音
        | '\u{3400}'..='\u{4DBF}' // 扩展 A
        | '\u{4E00}'..='\u{9FFF}' // 基本汉字
        | '\u{AC00}'..='\u{D7AF}' // 韩文
        | '\u{F900}'..='\u{FAFF}' // 兼容汉字
        | '\u{FE30}'..='\u{FE4F}' // 竖排标点
        | '\u{FF00}'..='\u{FFEF}' // 全角标点与字母：，：；（）！？
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// 换行两侧各取几个字符，作为报错里的片段。
fn snippet(before: &str, after: &str) -> String {
    let b: Vec<char> = before.chars().rev().take(8).collect();
    let b: String = b.into_iter().rev().collect();
    let a: String = after.chars().take(8).collect();
    format!("{}⏎{}", b.trim_start(), a.trim_end())
}

/// Markdown 源文件中，段落（列表项、表格、引用）里前一行以中文结尾、下一行以中文开头的地方：
/// 返回（前一行的行号，片段）。代码块和行内代码里的换行不算；硬换行（行末两个空格或 `\`）
/// 会变成 `<br>`，也不算。
pub fn markdown_breaks(text: &str) -> Vec<(usize, String)> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    // 当前块中最后一段文字，以及它之后是否紧跟着一个软换行（记下那一行）。
    let mut last = String::new();
    let mut pending: Option<usize> = None;
    let mut in_code = false;
    let mut html: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => {
                if let Some(line) = pending.take()
                    && last.chars().last().is_some_and(is_cjk)
                    && t.chars().next().is_some_and(is_cjk)
                {
                    out.push((line, snippet(&last, &t)));
                }
                last = t.to_string();
            }
            Event::SoftBreak => pending = Some(lines.of(range.start)),
            // 行内 HTML（例如 `<code>`）不打断一行文字。
            Event::InlineHtml(_) => {}
            // HTML 块（caption 之类）原样进入页面，其中的换行同样显示成空格。
            Event::Start(Tag::HtmlBlock) => html = Some((lines.of(range.start), String::new())),
            Event::Html(t) => {
                if let Some((_, h)) = html.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((first, h)) = html.take() {
                    for (i, s) in text_breaks(&strip_tags(&h)) {
                        out.push((first + i, s));
                    }
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {}
            _ => {
                last.clear();
                pending = None;
            }
        }
    }
    out
}

/// 去掉 HTML 标签，只留下文字（标签本身不占位置）。
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// 一段纯文字中“中文、含换行的空白、中文”的位置：（换行之前已有的换行数，片段）。
fn text_breaks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].1.is_whitespace() {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(e, _)| e);
        let gap = &text[start..end];
        if gap.contains('\n')
            && i > 0
            && is_cjk(chars[i - 1].1)
            && j < chars.len()
            && is_cjk(chars[j].1)
        {
            out.push((
                text[..start].matches('\n').count(),
                snippet(&text[..start], &text[end..]),
            ));
        }
        i = j;
    }
    out
}

/// 行内元素：它们的标签不打断文字，两侧的换行照样显示成空格。
const INLINE: &[&str] = &[
    "a", "abbr", "b", "cite", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "u", "var",
];

/// 内容不是正文的元素：整个跳过（代码里的换行是有意的，公式和脚本不是文字）。
const SKIPPED: &[&str] = &[
    "pre", "code", "script", "style", "math", "svg", "textarea", "template",
];

/// `needle`（ASCII）在 `hay` 中第一次出现的字节位置，不分 ASCII 大小写。
/// 不把剩下的整页转成小写再找：打印版有几 MB、几千个 `<code>`，那样做是平方级的。
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// mdBook 生成的 HTML 页面中，读者会看到的多余空格：两个中文字符（或中文标点）之间
/// 含有换行的空白。`<pre>`、`<code>`、脚本、公式里的不算；块级元素的边界（`</p>`、`<li>`、`<br>`）
/// 两侧的换行不显示，也不算。返回每一处的片段。
pub fn html_breaks(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut out = Vec::new();
    let mut rest = html;
    let flush = |text: &mut String, out: &mut Vec<String>| {
        out.extend(text_breaks(text).into_iter().map(|(_, s)| s));
        text.clear();
    };
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[gt + 1..];
        if !closing && SKIPPED.contains(&name.as_str()) {
            // 跳到对应的结束标签。行内代码换成 `代码`（报错的片段因此看得懂），
            // 其余的换成占位文字：两侧都不是中文，“中文<code>x</code>⏎中文”不会被当成相连。
            let end = format!("</{name}");
            let skip_to = find_ascii_ci(rest, &end).unwrap_or(rest.len());
            let inner = &rest[..skip_to];
            rest = rest[skip_to..]
                .find('>')
                .map_or("", |g| &rest[skip_to + g + 1..]);
            match name.as_str() {
                "code" => {
                    let code = strip_tags(inner);
                    text.push('`');
                    text.push_str(&code.split_whitespace().collect::<Vec<_>>().join(" "));
                    text.push('`');
                }
                "script" | "style" | "template" => flush(&mut text, &mut out),
                _ => text.push_str("[…]"),
            }
            continue;
        }
        if !INLINE.contains(&name.as_str()) {
            flush(&mut text, &mut out);
        }
    }
    text.push_str(rest);
    flush(&mut text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_tags_are_found_in_any_case() {
        assert_eq!(find_ascii_ci("中文</CODE>x", "</code"), Some(6));
        assert_eq!(find_ascii_ci("</co", "</code"), None);
        assert_eq!(find_ascii_ci("abc", ""), Some(0));
    }

    #[test]
    fn markdown_breaks_between_chinese_are_found() {
        let md = "第一行写到一半\n接着写。\n\nEnglish line\ncontinues.\n\n中文结尾\n`code` 开头\n\n```text\n代码里\n换行\n```\n\n- **强调**\n  继续\n";
        let found = markdown_breaks(md);
        assert_eq!(
            found,
            [
                (1, "第一行写到一半⏎接着写。".to_string()),
                (15, "强调⏎继续".to_string())
            ]
        );
    }

    #[test]
    fn html_breaks_skip_code_and_block_boundaries() {
        let html = "<p>只用\n几毫秒</p>\n<p>下一段</p>\n<pre><code>代码\n换行</code></pre>\
                    <p>中文<code>x</code>\n中文</p><p><strong>强调</strong>\n继续</p>";
        assert_eq!(html_breaks(html), ["只用⏎几毫秒", "强调⏎继续"]);
    }
}
