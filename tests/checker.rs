//! 检查器自己的测试：每一种它应当发现的问题，都用一个故意写坏的样本
//! （`tests/fixtures/broken-book/`）或一个故意失败的命令证明它真的会失败，
//! 并且报错信息指出了文件。

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use book_tests::run::{compare, run_with_limit};
use book_tests::{book, rendered, repo_root};

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/broken-book")
}

fn book_errors() -> Vec<String> {
    book::check(&fixture())
}

/// 断言某条错误出现，并且它指出了给定的文件。
fn assert_reported(errors: &[String], file: &str, what: &str) {
    assert!(
        errors.iter().any(|e| e.contains(file) && e.contains(what)),
        "检查器应报告 {file} 的“{what}”，实际报告：\n{}",
        errors.join("\n")
    );
}

// 1. 输出与书中不同：打印差异。
#[test]
fn differing_output_is_reported_with_a_diff() {
    let out = fixture().join("listings/examples/ch01-01-good.out");
    let err = compare(&out, "$ cargo run --example ch01-01-good", "goodbye\n").unwrap_err();
    assert!(err.contains("ch01-01-good.out"), "{err}");
    assert!(err.contains("-hello") && err.contains("+goodbye"), "{err}");
    // 相同的输出通过。
    compare(&out, "$ cargo run --example ch01-01-good", "hello\n").unwrap();
    // 命令行不对也是错误。
    let err = compare(&out, "$ cargo run --example other", "hello\n").unwrap_err();
    assert!(err.contains("第一行应是运行命令"), "{err}");
}

// 2. panic、非零退出、超时。
#[test]
fn failing_exit_status_is_reported_with_stderr() {
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        "echo \"thread 'main' panicked at src/main.rs:1:1\" >&2; exit 101",
    ]);
    let err = run_with_limit(cmd, Duration::from_secs(5)).unwrap_err();
    assert!(err.contains("101") && err.contains("panicked"), "{err}");
}

#[test]
fn hanging_program_is_killed_and_named() {
    let mut cmd = Command::new("sleep");
    cmd.arg("30");
    let started = std::time::Instant::now();
    let err = run_with_limit(cmd, Duration::from_millis(300)).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "超时后应立即终止"
    );
    assert!(err.contains("sleep") && err.contains("已被终止"), "{err}");
}

// 3. 引入的文件不存在、锚点不存在、锚点为空、锚点未关闭、按行号引入。
#[test]
fn broken_includes_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch01.md", "ch01-99-missing.rs 无法读取");
    assert_reported(&errors, "src/ch01.md", "没有锚点 `nonexistent`");
    assert_reported(&errors, "src/ch01.md", "锚点 `empty` 是空的");
    assert_reported(&errors, "src/ch01.md", "锚点 `never_closed` 没有关闭");
    assert_reported(&errors, "src/ch01.md", "不能按行号");
}

// 4. 读者看到的 Rust 代码没有被编译：源文件里手写，或 mdBook 的输出里出现了不属于任何示例的代码。
#[test]
fn code_typed_into_a_chapter_is_reported() {
    assert_reported(&book_errors(), "src/ch01.md", "手写了代码");
}

#[test]
fn rendered_code_that_no_listing_contains_is_reported() {
    let errors = rendered::check_markdown_dir(&fixture(), &fixture().join("rendered/markdown"));
    assert_reported(&errors, "ch01.md:9", "不是任何被编译示例的一部分");
    assert_reported(&errors, "ch01.md:15", "空的 Rust 代码块");
    assert_reported(&errors, "ch01.md:23", "不等于任何被测试比对的 .out 文件");
    assert_reported(&errors, "ch01.md", "未展开");
    assert_reported(&errors, "ch01.md:30", "每一行都被隐藏");
    // 正确的代码块（带隐藏行）与正确的输出不被误报。
    assert!(
        !errors
            .iter()
            .any(|e| e.contains("ch01.md:3:") || e.contains("ch01.md:18:")),
        "{}",
        errors.join("\n")
    );
}

// 6. 没有章节展示的示例或输出文件。
#[test]
fn unshown_listings_and_orphan_outputs_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "ch01-02-unshown.rs", "没有任何章节");
    assert_reported(&errors, "ch01-02-unshown.rs", "缺少输出文件");
    assert_reported(&errors, "ch01-03-deleted.out", "孤儿");
}

// 7. 手写的控制台输出。
#[test]
fn console_output_typed_into_a_chapter_is_reported() {
    assert_reported(&book_errors(), "src/ch01.md", "手写了输出");
}

// 8. 指向不存在的章节或标题的链接。
#[test]
fn broken_links_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch01.md", "`ch99.md` 指向的文件");
    assert_reported(&errors, "src/ch01.md", "标题 `#没有这个标题` ");
    assert!(
        !errors.iter().any(|e| e.contains("#正确的引入")),
        "存在的标题不应被误报：\n{}",
        errors.join("\n")
    );
    let html = rendered::check_html_links(&fixture().join("rendered/html"));
    assert_reported(&html, "ch01.html", "`ch01.html#missing-heading`");
    assert_reported(&html, "ch01.html", "`ch99.html`");
    assert_eq!(html.len(), 2, "{}", html.join("\n"));
}

// 真实的书也用同一套检查：没有任何一条是样本独有的规则。
#[test]
fn heading_ids_follow_mdbook() {
    assert_eq!(book::heading_id("9.2.1 JoinSet 增强"), "921-joinset-增强");
    assert_eq!(book::heading_id("Smol vs Tokio：选择"), "smol-vs-tokio选择");
}
