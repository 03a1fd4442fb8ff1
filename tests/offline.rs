//! 离线版（PDF 与 EPUB）检查器自己的测试：坏样本必须被报告，好样本不被报告。
//! 样本在 `tests/fixtures/offline/`（见那里的 README）。

use book_tests::offline::{self, Entry, ListingLine};
use book_tests::repo_root;

fn fixture(name: &str) -> String {
    let path = repo_root().join("tests/fixtures/offline").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}：{e}", path.display()))
}

fn entries() -> Vec<Entry> {
    offline::parse_summary(&fixture("SUMMARY.md"))
}

fn summary_has_parts_and_chapters_outside_parts() {
    let toc = offline::expected_toc(&entries());
    let want: Vec<(usize, String)> = [
        (1, "前言"),
        (1, "第一部分 理论基础"),
        (2, "异步编程基本概念"),
        (2, "Future 与状态机"),
        (1, "第二部分 运行时"),
        (2, "Tokio 完全指南"),
        (1, "结语"),
    ]
    .iter()
    .map(|(d, t)| (*d, t.to_string()))
    .collect();
    assert_eq!(toc, want);
}

fn the_real_summary_has_every_chapter() {
    let text = std::fs::read_to_string(repo_root().join("src/SUMMARY.md")).unwrap();
    let entries = offline::parse_summary(&text);
    let files: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Chapter { file, .. } => Some(file.as_str()),
            Entry::Part(_) => None,
        })
        .collect();
    // SUMMARY.md 里每个 `](文件)` 都要读成一章。
    assert_eq!(files.len(), text.matches("](").count(), "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| repo_root().join("src").join(f).is_file())
    );
}

fn a_missing_chapter_title_and_a_missing_listing_line_are_reported() {
    let listings = vec![ListingLine {
        chapter: "src/ch09.md".into(),
        file: "listings/examples/ch09-01-joinset.rs".into(),
        line: "let mut set = JoinSet::new();".into(),
    }];
    // 代码行在 PDF 里折了行、在连字符处断开，仍然算找到。
    let good = "前言\n第一部分 理论基础\n1. 异步编程基本概念\n2. Future 与状态机\n\
                第二部分 运行时\n9. Tokio 完全指南\nlet mut set =\nJoinSet::new();\n结语";
    assert_eq!(
        offline::check_pdf_text("x.pdf", good, &entries(), &listings),
        Vec::<String>::new()
    );
    let bad = good
        .replace("Future 与状态机", "")
        .replace("JoinSet", "JoinMap");
    let errors = offline::check_pdf_text("x.pdf", &bad, &entries(), &listings);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].contains("x.pdf") && errors[0].contains("“Future 与状态机”"));
    assert!(errors[1].contains("listings/examples/ch09-01-joinset.rs"));
    assert!(errors[1].contains("src/ch09.md") && errors[1].contains("pdftoppm"));
}

fn fonts_must_be_embedded_and_one_must_be_a_named_cjk_font() {
    assert_eq!(
        offline::check_pdffonts("x.pdf", &fixture("pdffonts-ok.txt")),
        Vec::<String>::new()
    );
    let errors = offline::check_pdffonts("x.pdf", &fixture("pdffonts-type3-only.txt"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("中文字体") && errors[0].contains("fonts-wqy-microhei"));
    let not_embedded = fixture("pdffonts-ok.txt").replace(
        "Identity-H       yes yes yes      7",
        "Identity-H       no  yes yes      7",
    );
    let errors = offline::check_pdffonts("x.pdf", &not_embedded);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("OpenSans-Regular") && errors[0].contains("没有嵌入"));
}

fn the_outline_must_nest_chapters_under_their_parts() {
    let ok = offline::nested_items(&fixture("outline-ok.xml"), "outline", "item");
    assert_eq!(
        offline::check_toc("x.pdf 的书签", &ok, &entries()),
        Vec::<String>::new()
    );
    let flat = offline::nested_items(&fixture("outline-flat.xml"), "outline", "item");
    let errors = offline::check_toc("x.pdf 的书签", &flat, &entries());
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("x.pdf 的书签") && errors[0].contains("src/SUMMARY.md"));
    // EPUB 的 nav 用 <ol>/<a>：同一个函数读它。
    let nav = r#"<ol class="toc"><li><a href="a.xhtml"><span>前言</span></a></li>
        <li><a href="b.xhtml">第一部分 理论基础</a><ol><li><a href="c.xhtml">1. 异步编程基本概念</a></li>
        <li><a href="d.xhtml">2. Future 与状态机</a></li></ol></li>
        <li><a href="e.xhtml">第二部分 运行时</a><ol><li><a href="f.xhtml">9. Tokio 完全指南</a></li></ol></li>
        <li><a href="g.xhtml">结语</a></li></ol>"#;
    let items = offline::nested_items(nav, "ol", "a");
    assert_eq!(
        offline::check_toc("x.epub", &items, &entries()),
        Vec::<String>::new()
    );
    let missing = nav.replace(r#"<li><a href="g.xhtml">结语</a></li>"#, "");
    let items = offline::nested_items(&missing, "ol", "a");
    assert_eq!(offline::check_toc("x.epub", &items, &entries()).len(), 1);
}

fn page_count_bounds_come_from_the_amount_of_text() {
    let e = entries();
    // 4 章、2 个部分：至少 6 页；60 万字符：200–2000 页。
    assert_eq!(offline::page_bounds(600_000, 4, 2), (200, 2000));
    assert_eq!(offline::page_bounds(3_000, 4, 2), (6, 10));
    assert!(offline::check_page_count("x.pdf", 677, 600_000, &e).is_empty());
    let errors = offline::check_page_count("x.pdf", 2500, 600_000, &e);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("2500 页") && errors[0].contains("200–2000"));
    assert_eq!(
        offline::check_page_count("x.pdf", 150, 600_000, &e).len(),
        1
    );
}

fn every_listing_in_the_book_has_a_visible_line() {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("src/SUMMARY.md")).unwrap();
    let lines = offline::listing_lines(&root, &offline::parse_summary(&text)).unwrap();
    assert!(lines.len() > 100, "只找到 {} 个示例", lines.len());
    assert!(lines.iter().all(|l| !l.line.starts_with("# ")));
}

tests![
    summary_has_parts_and_chapters_outside_parts,
    the_real_summary_has_every_chapter,
    a_missing_chapter_title_and_a_missing_listing_line_are_reported,
    fonts_must_be_embedded_and_one_must_be_a_named_cjk_font,
    the_outline_must_nest_chapters_under_their_parts,
    page_count_bounds_come_from_the_amount_of_text,
    every_listing_in_the_book_has_a_visible_line,
];
