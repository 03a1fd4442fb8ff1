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

/// 在已经构建好的站点 `out` 里生成 PDF 与 EPUB。
pub fn build(root: &Path, out: &Path) -> Result<(), String> {
    eprintln!("\n==> 离线版：PDF（Chromium 打印 print.html）与 EPUB（pandoc）");
    let pdf = out.join(PDF_NAME);
    let epub = out.join(EPUB_NAME);
    let html = std::env::temp_dir().join(format!("book-epub-{}.html", std::process::id()));
    let started = Instant::now();
    let script = browser_dir(root).join("print-book.mjs");
    let (ok, stdout, stderr) = run_output(
        "打印 PDF",
        Command::new("node")
            .current_dir(browser_dir(root))
            .arg(&script)
            .arg(out)
            .arg(&pdf)
            .arg(&html),
    )?;
    if !ok {
        let _ = std::fs::remove_file(&html);
        return Err(format!(
            "tests/browser/print-book.mjs 没有生成 PDF：\n{stdout}{stderr}\n\
             请确认 /usr/bin/chromium 存在（`cargo xtask tools`），print.html 已由 mdbook build 生成。"
        ));
    }
    let pdf_time = started.elapsed();
    let started = Instant::now();
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
            .arg(&html),
    )?;
    let _ = std::fs::remove_file(&html);
    // pandoc 的警告（例如公式无法转换、图片找不到）都算失败：读者会看到坏掉的内容。
    if !ok || !stderr.trim().is_empty() {
        return Err(format!(
            "pandoc 生成 EPUB 失败或有警告：\n{stdout}{stderr}\n\
             公式无法转换时改写那个公式（KaTeX 与 pandoc 都接受的写法）；图片找不到时检查 src/img/。"
        ));
    }
    eprintln!(
        "{}PDF 用时 {:.1} 秒，EPUB 用时 {:.1} 秒：{}、{}",
        stdout.trim_end().to_string() + if stdout.trim().is_empty() { "" } else { "\n" },
        pdf_time.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        pdf.display(),
        epub.display()
    );
    Ok(())
}

/// 核对站点 `out` 里的 PDF 与 EPUB；返回全部问题。
pub fn check(root: &Path, out: &Path) -> Result<(), String> {
    eprintln!("\n==> 核对离线版（PDF 与 EPUB）");
    let summary = book_tests::read(&root.join("src").join("SUMMARY.md"))?;
    let entries = offline::parse_summary(&summary);
    if !entries.iter().any(|e| matches!(e, Entry::Chapter { .. })) {
        return Err("src/SUMMARY.md：没有读出任何章节。".into());
    }
    let listings = offline::listing_lines(root, &entries)?;
    let mut errors = Vec::new();
    // 前言（index.html）里的下载链接指向真正构建出来的文件。
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
    errors.extend(check_pdf(out, &entries, &listings)?);
    errors.extend(check_epub(out, &entries)?);
    if errors.is_empty() {
        eprintln!(
            "PDF 与 EPUB 通过：目录与 src/SUMMARY.md 一致，PDF 里有 {} 个示例各自的一行，中文字体已嵌入，epubcheck 零错误零警告。",
            listings.len()
        );
        Ok(())
    } else {
        Err(format!(
            "离线版有 {} 个问题：\n{}",
            errors.len(),
            errors.join("\n")
        ))
    }
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
