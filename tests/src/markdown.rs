//! Markdown 中的围栏代码块。解析交给 pulldown-cmark（mdBook 用的同一个解析器），
//! 所以这里认出的代码块就是读者看到的代码块。

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// 一个围栏代码块。
#[derive(Debug, Clone)]
pub struct Block {
    /// 信息字符串，例如 `rust,noplayground`。
    pub info: String,
    /// 语言：信息字符串中第一个逗号或空格之前的部分。
    pub lang: String,
    /// 代码块内容。
    pub body: String,
    /// 开始的行号（从 1 开始）。
    pub line: usize,
}

impl Block {
    /// 信息字符串里的属性，例如 `compile_fail`、`noplayground`。
    pub fn attrs(&self) -> Vec<&str> {
        self.info
            .split([',', ' '])
            .skip(1)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// 找出全部围栏代码块。
pub fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = info.to_string();
                let lang = info
                    .split([',', ' '])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                current = Some(Block {
                    info,
                    lang,
                    body: String::new(),
                    line: line_of(text, range.start),
                });
            }
            Event::Text(t) => {
                if let Some(b) = current.as_mut() {
                    b.body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = current.take() {
                    out.push(b);
                }
            }
            _ => {}
        }
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}
