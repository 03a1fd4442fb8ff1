//! mdBook 的 `{{#include}}` 与 `{{#rustdoc_include}}`：解析、锚点校验与展开。
//!
//! 展开的语义与 mdBook 0.5 相同（锚点行本身不输出；`rustdoc_include` 把锚点以外的行
//! 加上 `# ` 前缀隐藏起来），但比 mdBook 严格：文件缺失、锚点缺失、锚点为空、
//! 锚点没有关闭、按行号引入，全部是错误。

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Include,
    RustdocInclude,
}

/// 章节中的一条引入指令。
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: Kind,
    /// 指令在章节中的行号（从 1 开始）。
    pub line: usize,
    /// 指令原文，例如 `{{#include ../listings/examples/a.out}}`。
    pub raw: String,
    /// 指令中写的路径（相对章节文件）。
    pub path: String,
    /// 锚点名；没有时引入整个文件。
    pub anchor: Option<String>,
    /// 在该指令原文中的字节范围（相对所在行）。
    pub span: (usize, usize),
}

/// 找出一段 Markdown 中的全部引入指令，以及写错的指令（行号、原因）。
/// 其他 `{{#…}}` 指令（例如 `{{#playground}}`）本书不用，出现即报错，免得它们绕过检查。
pub fn directives(text: &str) -> (Vec<Directive>, Vec<(usize, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(start) = line[from..].find("{{#") {
            let start = from + start;
            let Some(len) = line[start..].find("}}") else {
                errors.push((
                    i + 1,
                    format!("指令没有以 `}}}}` 结束：`{}`", &line[start..]),
                ));
                break;
            };
            let end = start + len + 2;
            let raw = &line[start..end];
            let body = raw[3..raw.len() - 2].trim();
            let (name, arg) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            let kind = match name {
                "include" => Some(Kind::Include),
                "rustdoc_include" => Some(Kind::RustdocInclude),
                _ => {
                    errors.push((
                        i + 1,
                        format!("本书只用 include 和 rustdoc_include，不支持 `{raw}`"),
                    ));
                    None
                }
            };
            if let Some(kind) = kind {
                match parse_arg(arg.trim()) {
                    Ok((path, anchor)) => out.push(Directive {
                        kind,
                        line: i + 1,
                        raw: raw.to_string(),
                        path,
                        anchor,
                        span: (start, end),
                    }),
                    Err(e) => errors.push((i + 1, format!("`{raw}`：{e}"))),
                }
            }
            from = end;
        }
    }
    (out, errors)
}

fn parse_arg(arg: &str) -> Result<(String, Option<String>), String> {
    if arg.is_empty() {
        return Err("缺少文件路径".into());
    }
    let mut parts = arg.split(':');
    let path = parts.next().unwrap().to_string();
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => Ok((path, None)),
        [anchor] if is_anchor_name(anchor) && !anchor.chars().all(|c| c.is_ascii_digit()) => {
            Ok((path, Some(anchor.to_string())))
        }
        _ => Err(
            "只能按锚点引入（`文件:锚点`），不能按行号或行范围引入：行号会随代码改动而错位".into(),
        ),
    }
}

fn is_anchor_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// 一行是否是锚点标记；是则返回（是否为结束标记，锚点名）。与 mdBook 一样，
/// 标记可以出现在注释里的任何位置：`// ANCHOR: main`。
pub fn anchor_marker(line: &str) -> Option<(bool, &str)> {
    // 先找 `ANCHOR_END:`：`ANCHOR:` 不会出现在它里面，反之亦然。
    for (tag, is_end) in [("ANCHOR_END:", true), ("ANCHOR:", false)] {
        if let Some(pos) = line.find(tag) {
            let rest = line[pos + tag.len()..].trim_start();
            let name: &str = rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .next()
                .unwrap_or("");
            return Some((is_end, name));
        }
    }
    None
}

/// 一个文件中全部锚点的位置（起始标记行、结束标记行，都从 0 开始）。
/// 锚点重复、没有关闭、只有结束、内容为空，都是错误。
pub fn anchors(text: &str) -> Result<BTreeMap<String, (usize, usize)>, Vec<String>> {
    let mut open: BTreeMap<String, usize> = BTreeMap::new();
    let mut done: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut errors = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((is_end, name)) = anchor_marker(line) else {
            continue;
        };
        if name.is_empty() {
            errors.push(format!("第 {} 行：锚点标记没有名字", i + 1));
            continue;
        }
        if is_end {
            match open.remove(name) {
                Some(start) => {
                    let body = &lines[start + 1..i];
                    let visible = body
                        .iter()
                        .any(|l| anchor_marker(l).is_none() && !l.trim().is_empty());
                    if !visible {
                        errors.push(format!("第 {} 行：锚点 `{name}` 是空的", start + 1));
                    }
                    done.insert(name.to_string(), (start, i));
                }
                None => errors.push(format!(
                    "第 {} 行：`ANCHOR_END: {name}` 之前没有 `ANCHOR: {name}`",
                    i + 1
                )),
            }
        } else if open.contains_key(name) || done.contains_key(name) {
            errors.push(format!("第 {} 行：锚点 `{name}` 重复定义", i + 1));
        } else {
            open.insert(name.to_string(), i);
        }
    }
    for (name, start) in open {
        errors.push(format!(
            "第 {} 行：锚点 `{name}` 没有关闭（缺少 `ANCHOR_END: {name}`）",
            start + 1
        ));
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(errors)
    }
}

/// 展开一条指令，返回它在书中变成的文本（与 mdBook 的结果逐字节相同）。
pub fn expand(chapter: &Path, d: &Directive) -> Result<(PathBuf, String), String> {
    let file = resolve(chapter, &d.path);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        format!(
            "`{}` 引入的文件 {} 无法读取（{e}）。检查路径是否相对于章节文件所在目录，文件是否已提交",
            d.raw, d.path
        )
    })?;
    let anchors = anchors(&text).map_err(|errs| {
        format!(
            "`{}` 引入的文件 {} 的锚点有错误：\n  {}",
            d.raw,
            d.path,
            errs.join("\n  ")
        )
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let range = match &d.anchor {
        None => None,
        Some(name) => Some(*anchors.get(name).ok_or_else(|| {
            let known: Vec<&str> = anchors.keys().map(String::as_str).collect();
            format!(
                "`{}`：文件 {} 中没有锚点 `{name}`（已有的锚点：{}）。在文件中加上 `// ANCHOR: {name}` 与 `// ANCHOR_END: {name}`，或改用已有的锚点",
                d.raw,
                d.path,
                if known.is_empty() { "无".to_string() } else { known.join("、") }
            )
        })?),
    };
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if anchor_marker(line).is_some() {
            continue;
        }
        let inside = range.is_none_or(|(s, e)| i > s && i < e);
        match (d.kind, inside) {
            (_, true) => out.push(line.to_string()),
            (Kind::RustdocInclude, false) => out.push(format!("# {line}")),
            (Kind::Include, false) => {}
        }
    }
    Ok((file, out.join("\n")))
}

/// 指令中的路径相对于章节文件所在目录。
pub fn resolve(chapter: &Path, path: &str) -> PathBuf {
    let base = chapter.parent().unwrap_or(Path::new("."));
    normalize(&base.join(path))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
