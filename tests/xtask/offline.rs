//! 离线版：PDF 与 EPUB，由 `cargo xtask build` 放进站点（`book/rust-async-book.pdf`、
//! `book/rust-async-book.epub`），由 `cargo xtask test` 核对。
//!
//! - PDF：`tests/browser/print-book.mjs` 用浏览器测试的同一个 Chromium 打印 `print.html`
//!   （书签、页码、代码块与插图不跨页；打印样式在 `theme/reader.css`）。
//! - EPUB：同一个脚本交出整理过的 HTML，由 Debian 的 pandoc 打包。不用 mdbook-epub：
//!   它能用于 mdBook 0.5 的最新版本 0.5.2 要从源码编译约 260 个 crate（mdBook 本身约 4 分钟），
//!   0.5.4 要求 Rust 1.96；它作为 mdBook 的输出还会让每次 `mdbook build`（包括 `mdbook serve`）
//!   都依赖它，而且拿不到只作用于 HTML 的公式渲染。pandoc 从 apt 安装，不用编译（见 tests/DESIGN.md）。
//!
//! 核对用 Debian 的 poppler-utils（pdffonts、pdftotext、pdfinfo、pdftohtml）、unzip 与 epubcheck；
//! 期望的内容由 `book_tests::offline` 从 `src/SUMMARY.md` 与示例文件读出。

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use book_tests::offline::{self, Entry};

use crate::site::{browser_dir, run_output};

/// 站点里的文件名（前言与 README 里的下载链接指向它们）。
pub const PDF_NAME: &str = offline::BUILT_AFTER_MDBOOK[0];
pub const EPUB_NAME: &str = offline::BUILT_AFTER_MDBOOK[1];

/// `book.toml` 里 `[book]` 的一个字符串值（书名、作者、描述），给 EPUB 的元数据用。
fn book_field(root: &Path, key: &str) -> String {
    let text = std::fs::read_to_string(root.join("book.toml")).unwrap_or_default();
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| {
                v.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim_matches('"')
                    .to_string()
            })
        })
        .unwrap_or_default()
}

/// `print-book.mjs` 写好 EPUB 用的 HTML 之后在标准输出上打印的一行：pandoc 不必等 PDF 打印完。
const HTML_READY: &str = "EPUB 用的 HTML 已写好";

/// 在已经构建好的站点 `out` 里生成 PDF 与 EPUB；`check` 为真时（`cargo xtask test`）接着核对它们。
///
/// 两条线同时进行：Chromium 打印 PDF（最慢的一步，约占这一步的一半），脚本一交出 EPUB 用的 HTML，
/// 另一个线程就用 pandoc 打包 EPUB，再用 epubcheck 核对；PDF 打印完再核对 PDF。
pub fn build(root: &Path, out: &Path, check: bool) -> Result<(), String> {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    eprintln!("\n==> 离线版：PDF（Chromium 打印 print.html）与 EPUB（pandoc），同时进行");
    // 期望的目录与示例先读出来：读不出来就不必开始。
    let expected = if check {
        let summary = book_tests::read(&root.join("src").join("SUMMARY.md"))?;
        let entries = offline::parse_summary(&summary);
        if !entries.iter().any(|e| matches!(e, Entry::Chapter { .. })) {
            return Err("src/SUMMARY.md：没有读出任何章节。".into());
        }
        let listings = offline::listing_lines(root, &entries)?;
        Some((entries, listings))
    } else {
        None
    };
    let pdf = out.join(PDF_NAME);
    let html = std::env::temp_dir().join(format!("book-epub-{}.html", std::process::id()));
    let started = Instant::now();
    let script = browser_dir(root).join("print-book.mjs");
    let mut child = Command::new("node")
        .current_dir(browser_dir(root))
        .arg(&script)
        .arg(out)
        .arg(&pdf)
        .arg(&html)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "无法运行 node {}：{e}。请运行 `cargo xtask tools`。",
                script.display()
            )
        })?;
    let mut child_stderr = child.stderr.take().expect("stderr 已接管道");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = child_stderr.read_to_string(&mut text);
        text
    });
    // 读脚本的标准输出；它报告 HTML 写好时，另一个线程开始 EPUB 这条线。
    let mut stdout = String::new();
    let (status, epub) = std::thread::scope(|scope| {
        let mut epub = None;
        for line in BufReader::new(child.stdout.take().expect("stdout 已接管道")).lines() {
            let line = line.map_err(|e| format!("读 print-book.mjs 的输出：{e}"))?;
            if line == HTML_READY && epub.is_none() {
                let (html, entries) = (&html, expected.as_ref().map(|(e, _)| e.as_slice()));
                epub = Some(scope.spawn(move || epub_line(root, out, html, entries)));
            } else {
                stdout.push_str(&line);
                stdout.push('\n');
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("等待 print-book.mjs：{e}"))?;
        let epub = epub.map(|t| {
            t.join()
                .unwrap_or_else(|_| Err("生成 EPUB 的线程 panic 了".into()))
        });
        Ok::<_, String>((status, epub))
    })?;
    let _ = std::fs::remove_file(&html);
    let stderr = stderr_reader.join().unwrap_or_default();
    if !status.success() || !pdf.is_file() {
        return Err(format!(
            "tests/browser/print-book.mjs 没有生成 PDF（{status}）：\n{stdout}{stderr}\n\
             请确认 /usr/bin/chromium 存在（`cargo xtask tools`），print.html 已由 mdbook build 生成。"
        ));
    }
    let pdf_time = started.elapsed();
    let Some(epub) = epub else {
        return Err(format!(
            "tests/browser/print-book.mjs 没有报告“{HTML_READY}”，EPUB 无从生成：\n{stdout}{stderr}"
        ));
    };
    let (epub_time, mut errors) = epub?;
    eprintln!(
        "{stdout}PDF 用时 {:.1} 秒，EPUB（与 PDF 同时）用时 {:.1} 秒：{}、{}",
        pdf_time.as_secs_f64(),
        epub_time.as_secs_f64(),
        pdf.display(),
        out.join(EPUB_NAME).display()
    );
    let Some((entries, listings)) = &expected else {
        return Ok(());
    };
    errors.extend(check_pdf(out, entries, listings)?);
    errors.extend(check_links(out));
    if !errors.is_empty() {
        return Err(format!(
            "离线版有 {} 个问题：\n{}",
            errors.len(),
            errors.join("\n")
        ));
    }
    eprintln!(
        "PDF 与 EPUB 通过：目录与 src/SUMMARY.md 一致，PDF 里有 {} 个示例各自的一行，中文字体已嵌入，epubcheck 零错误零警告。",
        listings.len()
    );
    Ok(())
}

/// EPUB 这条线：pandoc 打包，给出了期望的目录（`entries`）时再用 epubcheck 等核对。
/// 返回用时和核对出的问题。
fn epub_line(
    root: &Path,
    out: &Path,
    html: &Path,
    entries: Option<&[Entry]>,
) -> Result<(std::time::Duration, Vec<String>), String> {
    let started = Instant::now();
    build_epub(root, out, html)?;
    let problems = match entries {
        Some(entries) => check_epub(out, entries)?,
        None => Vec::new(),
    };
    Ok((started.elapsed(), problems))
}

/// 用 pandoc 把 `html` 打包成站点里的 EPUB。pandoc 的任何警告都算失败。
fn build_epub(root: &Path, out: &Path, html: &Path) -> Result<(), String> {
    let epub = out.join(EPUB_NAME);
    let (ok, stdout, stderr) = run_output(
        "pandoc",
        Command::new("pandoc")
            .current_dir(out)
            .args(["--from", "html", "--to", "epub3", "--mathml"])
            // 部分是第一级、章是第二级：每章一个 XHTML 文件，目录两级，与 SUMMARY.md 一致。
            .args(["--epub-chapter-level=2", "--toc-depth=2"])
            .arg("--lua-filter")
            .arg(browser_dir(root).join("epub-math.lua"))
            .arg("--css")
            .arg(browser_dir(root).join("epub.css"))
            .arg("--resource-path")
            .arg(out)
            .arg("--metadata")
            .arg(format!("title={}", book_field(root, "title")))
            .arg("--metadata")
            .arg(format!("author={}", book_field(root, "authors")))
            .arg("--metadata")
            .arg(format!("description={}", book_field(root, "description")))
            // pandoc 2.17 的界面文字只有 zh-Hans、zh-Hant 两套；zh-CN 会让它对每章警告一次。
            .args(["--metadata", "lang=zh-Hans"])
            .arg("--output")
            .arg(&epub)
            .arg(html),
    )?;
    // pandoc 的警告（例如公式无法转换、图片找不到）都算失败：读者会看到坏掉的内容。
    if !ok || !stderr.trim().is_empty() {
        return Err(format!(
            "pandoc 生成 EPUB 失败或有警告：\n{stdout}{stderr}\n\
             公式无法转换时改写那个公式（KaTeX 与 pandoc 都接受的写法）；图片找不到时检查 src/img/。"
        ));
    }
    Ok(())
}

/// 前言（index.html）里的下载链接指向真正构建出来的文件。
fn check_links(out: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
    for file in offline::BUILT_AFTER_MDBOOK {
        if !index.contains(&format!("href=\"{file}\"")) {
            errors.push(format!(
                "book/index.html：前言里没有指向 {file} 的下载链接。请在 src/README.md 里保留那一行。"
            ));
        }
        if !out.join(file).is_file() {
            errors.push(format!("book/{file} 不存在：请运行 `cargo xtask build`。"));
        }
    }
    errors
}

fn check_pdf(
    out: &Path,
    entries: &[Entry],
    listings: &[offline::ListingLine],
) -> Result<Vec<String>, String> {
    let pdf = out.join(PDF_NAME);
    let name = format!("book/{PDF_NAME}");
    if !pdf.is_file() {
        return Ok(vec![format!("{name} 不存在：请运行 `cargo xtask build`。")]);
    }
    let mut errors = Vec::new();
    // pdffonts 对 Chromium 写的结构树里的长名字打印警告（Syntax Error … name token），与字体无关。
    let (ok, fonts, stderr) = run_output("pdffonts", Command::new("pdffonts").arg(&pdf))?;
    if !ok {
        return Err(format!("pdffonts 无法读取 {name}：{stderr}"));
    }
    errors.extend(offline::check_pdffonts(&name, &fonts));
    let (ok, text, stderr) = run_output("pdftotext", Command::new("pdftotext").arg(&pdf).arg("-"))?;
    if !ok {
        return Err(format!("pdftotext 无法读取 {name}：{stderr}"));
    }
    errors.extend(offline::check_pdf_text(&name, &text, entries, listings));
    let (ok, info, stderr) = run_output("pdfinfo", Command::new("pdfinfo").arg(&pdf))?;
    if !ok {
        return Err(format!("pdfinfo 无法读取 {name}：{stderr}"));
    }
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:")?.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let chars = offline::squeeze(&text).chars().count();
    errors.extend(offline::check_page_count(&name, pages, chars, entries));
    // 书签：pdftohtml -xml 把它输出成嵌套的 <outline>/<item>；只转换第一页，几乎不花时间。
    let (ok, xml, stderr) = run_output(
        "pdftohtml",
        Command::new("pdftohtml")
            .args(["-xml", "-i", "-stdout", "-f", "1", "-l", "1"])
            .arg(&pdf),
    )?;
    if !ok {
        return Err(format!("pdftohtml 无法读取 {name}：{stderr}"));
    }
    let outline = offline::nested_items(&xml, "outline", "item");
    errors.extend(offline::check_toc(
        &format!("{name} 的书签"),
        &outline,
        entries,
    ));
    eprintln!("{name}：{pages} 页，正文 {chars} 个非空白字符。");
    Ok(errors)
}

fn check_epub(out: &Path, entries: &[Entry]) -> Result<Vec<String>, String> {
    let epub = out.join(EPUB_NAME);
    let name = format!("book/{EPUB_NAME}");
    if !epub.is_file() {
        return Ok(vec![format!("{name} 不存在：请运行 `cargo xtask build`。")]);
    }
    let mut errors = Vec::new();
    let (ok, nav, stderr) = run_output(
        "unzip",
        Command::new("unzip")
            .arg("-p")
            .arg(&epub)
            .arg("EPUB/nav.xhtml"),
    )?;
    if !ok {
        return Err(format!("无法从 {name} 取出 EPUB/nav.xhtml：{stderr}"));
    }
    let toc = nav
        .split("epub:type=\"toc\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap_or("");
    let items = offline::nested_items(toc, "ol", "a");
    errors.extend(offline::check_toc(
        &format!("{name} 的目录"),
        &items,
        entries,
    ));
    // epubcheck 是 Debian 的 jar（/usr/bin/epubcheck 指向它，但没有可执行的包装）。
    let (ok, stdout, stderr) = run_output(
        "epubcheck",
        Command::new("java")
            .args(["-jar", "/usr/share/java/epubcheck.jar"])
            .arg(&epub),
    )?;
    let report = format!("{stdout}{stderr}");
    let clean = ok && report.contains("Messages: 0 fatals / 0 errors / 0 warnings");
    if !clean {
        errors.push(format!(
            "{name}：epubcheck 报告了问题（要求零错误零警告）：\n{}",
            report.trim()
        ));
    }
    Ok(errors)
}
