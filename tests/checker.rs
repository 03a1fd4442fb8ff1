//! 检查器自己的测试：每一种它应当发现的问题，都用一个故意写坏的样本
//! （`tests/fixtures/broken-book/`）或一个故意失败的命令证明它真的会失败，
//! 并且报错信息指出了文件。

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use book_tests::run::{compare, compare_test_output, run_test_listing, run_with_limit};
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
fn failing_exit_status_is_reported_with_stderr() {
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        "echo \"thread 'main' panicked at src/main.rs:1:1\" >&2; exit 101",
    ]);
    let err = run_with_limit(cmd, Duration::from_secs(5)).unwrap_err();
    assert!(err.contains("101") && err.contains("panicked"), "{err}");
}

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

// 2b. 测试示例（第 17 章）：任何一个测试失败都报告，并给出 libtest 的输出；
// 书中展示失败的 loom 示例可以失败，但输出照样比对，只有用时和线程号不比。
fn failing_tests_in_a_test_listing_are_reported() {
    let tests_dir = repo_root().join("tests");
    let exe = std::env::temp_dir().join(format!("book-failing-{}", std::process::id()));
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let built = Command::new(rustc)
        .current_dir(&tests_dir)
        .args([
            "--edition",
            "2024",
            "--test",
            "fixtures/test-listing/failing.rs",
            "-o",
        ])
        .arg(&exe)
        .status()
        .expect("运行 rustc");
    assert!(
        built.success(),
        "编译样本 fixtures/test-listing/failing.rs 失败"
    );
    let run = |may_fail| {
        let mut cmd = Command::new(&exe);
        cmd.current_dir(&tests_dir).arg("--test-threads=1");
        run_test_listing(cmd, may_fail)
    };
    // 普通的测试示例：有测试失败就是错误，报错里有失败的测试和它的 panic 信息。
    let err = run(false).unwrap_err();
    assert!(
        err.contains("有测试失败")
            && err.contains("test fails ... FAILED")
            && err.contains("算错了"),
        "{err}"
    );
    // 允许失败时照常比对：样本 .out 是另一次运行记下的，用时和线程号都不同，仍然相同。
    let done = run(true).unwrap();
    let out = tests_dir.join("fixtures/test-listing/failing.out");
    let command = "$ cargo test --example failing -- --test-threads=1";
    compare_test_output(&out, command, &done.stdout).unwrap();
    // 别的任何变化都报告：比如失败的测试变成了通过。
    let changed = done
        .stdout
        .replace("test fails ... FAILED", "test fails ... ok");
    let err = compare_test_output(&out, command, &changed).unwrap_err();
    assert!(
        err.contains("failing.out") && err.contains("+test fails ... ok"),
        "{err}"
    );
    let _ = std::fs::remove_file(&exe);
}

// 测试示例的框架：caption 写 cargo test 的命令，listings/Cargo.toml 声明 test = true，不放运行按钮。
fn test_listings_are_declared_and_run_with_cargo_test() {
    let errors = book_errors();
    assert_reported(
        &errors,
        "listings/examples/ch03-11-tests.rs",
        "listings/Cargo.toml 却没有为它声明",
    );
    assert_reported(
        &errors,
        "src/ch03.md:156:",
        "<code>cargo test --example ch03-11-tests</code>",
    );
    assert_reported(&errors, "src/ch03.md:152:", "只能在本地运行");
}

// 3. 引入的文件不存在、锚点不存在、锚点为空、锚点未关闭、按行号引入。
fn broken_includes_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch01.md", "ch01-99-missing.rs 无法读取");
    assert_reported(&errors, "src/ch01.md", "没有锚点 `nonexistent`");
    assert_reported(&errors, "src/ch01.md", "锚点 `empty` 是空的");
    assert_reported(&errors, "src/ch01.md", "锚点 `never_closed` 没有关闭");
    assert_reported(&errors, "src/ch01.md", "不能按行号");
}

// 4. 读者看到的 Rust 代码没有被编译：源文件里手写，或 mdBook 的输出里出现了不属于任何示例的代码。
fn code_typed_into_a_chapter_is_reported() {
    assert_reported(&book_errors(), "src/ch01.md", "手写了代码");
}

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
fn unshown_listings_and_orphan_outputs_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "ch01-02-unshown.rs", "没有任何章节");
    assert_reported(&errors, "ch01-02-unshown.rs", "缺少输出文件");
    assert_reported(&errors, "ch01-03-deleted.out", "孤儿");
}

// 7. 手写的控制台输出。
fn console_output_typed_into_a_chapter_is_reported() {
    assert_reported(&book_errors(), "src/ch01.md", "手写了输出");
}

// 8. 指向不存在的章节或标题的链接。
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

// 9. 一个示例的框架（代码块、caption、输出）作为一个整体核对。
fn a_listings_frame_is_checked_as_one_unit() {
    let errors = book_errors();
    let cases = [
        (
            "src/ch03.md:9:",
            "文件却是 listings/examples/ch03-09-misnumbered.rs",
        ),
        ("src/ch03.md:21:", "这里应是示例 3-2，写的是 示例 3-3"),
        (
            "src/ch03.md:33:",
            "代码块引入的是 listings/examples/ch03-05-code.rs",
        ),
        ("src/ch03.md:45:", "运行的是 ch03-04-caption，不是这个示例"),
        (
            "src/ch03.md:59:",
            "应当引入它自己的 listings/examples/ch03-06-output.out",
        ),
        ("src/ch03.md:69:", "caption 之后应紧跟它运行的输出"),
        ("src/ch03.md:79:", "caption 要写成“示例 3-8（无法编译）"),
        (
            "src/ch03.md:81:",
            "应当引入它自己的 listings/compile-fail/cases/ch03-08-cf.stderr",
        ),
        ("src/ch03.md:91:", "第 3 章里的示例编号应是 3-M"),
        ("src/ch03.md:103:", "caption 没有写编号"),
        ("src/ch03.md:109:", "ch03-99-gone.rs 不存在"),
        ("src/ch03.md:113:", "示例代码块之后没有 caption"),
        ("src/ch03.md:119:", "这段输出不在示例的框架里"),
        // CONTRIBUTING.md 里示范的框架按章节的规则检查。
        ("CONTRIBUTING.md:10:", "caption 写的是 示例 1-3"),
    ];
    for (file, what) in cases {
        assert_reported(&errors, file, what);
    }
}

// 10. 每个代码块都标了语言；Rust 只能是引入；手写的 ```text 要说明是示意。
fn every_fence_has_a_language_and_typed_text_is_a_sketch() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch03.md:125:", "代码块没有标语言");
    assert_reported(&errors, "src/ch03.md:131:", "要说明它是示意");
    assert_reported(&errors, "src/ch03.md:135:", "手写的 ```toml 代码块");
    assert_reported(&errors, "src/ch03.md:139:", "缩进四格");
    assert_reported(&errors, "README.md:5:", "README.md 不经过 mdBook");
    assert_reported(&errors, "README.md:11:", "只写读者要输入的命令");
}

// 11. 正文、README、CONTRIBUTING 提到的仓库路径、示例、子命令、链接都存在。
fn pointers_into_the_repository_must_exist() {
    let errors = book_errors();
    assert_reported(
        &errors,
        "src/ch03.md:143:",
        "`listings/examples/ch03-99-gone.rs` 在仓库里不存在",
    );
    assert_reported(
        &errors,
        "src/ch03.md:143:",
        "`tests/nothing.rs` 在仓库里不存在",
    );
    assert_reported(
        &errors,
        "src/ch03.md:143:",
        "没有 listings/examples/ch03-98-gone.rs",
    );
    assert_reported(
        &errors,
        "src/ch03.md:143:",
        "`cargo xtask tset` 不存在。已有的子命令：test、bless",
    );
    assert_reported(&errors, "src/ch03.md:143:", "没有名字含 `ch77` 的示例");
    assert_reported(
        &errors,
        "README.md:10:",
        "没有 listings/examples/ch01-99-missing.rs",
    );
    assert_reported(&errors, "README.md:14:", "`tests/NOPE.md`");
    assert_reported(
        &errors,
        "CONTRIBUTING.md:17:",
        "`tests/lib.rs` 在仓库里不存在",
    );
}

// 12. 两个中文字符之间的换行：源文件里的段落，以及生成的每个 HTML 页面（包括打印版）。
fn line_breaks_between_chinese_are_reported() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch03.md:147:", "在句子中间⏎换了行");
    assert_reported(&errors, "README.md:16:", "一段 = 一行");
    let html = rendered::check_html_spacing(&fixture().join("rendered/html"));
    assert_reported(&html, "ch01.html", "此本章的示例只用⏎几毫秒的真实计时");
    assert_reported(&html, "print.html", "拼在一起，⏎这里的换行");
    // 代码块里的换行、块级元素之间的换行、一侧不是中文的换行都不算。
    assert_eq!(html.len(), 2, "{}", html.join("\n"));
    assert!(
        html.iter().all(|e| e.contains("有 1 处")),
        "{}",
        html.join("\n")
    );
}

// 13. mdBook 真正发布的框架：caption 上面的代码、下面的输出都属于它说的那个示例。
fn rendered_frames_are_checked() {
    let errors = rendered::check_markdown_dir(&fixture(), &fixture().join("rendered/markdown"));
    assert_reported(
        &errors,
        "ch01.md:38:",
        "不是 listings/examples/ch01-01-good.rs 的一部分",
    );
    assert_reported(
        &errors,
        "ch01.md:46:",
        "不等于它自己的 listings/examples/ch01-01-good.out",
    );
    assert_reported(
        &errors,
        "ch01.md:72:",
        "不等于它自己的 listings/compile-fail/cases/ch02-02-bad.stderr",
    );
    for ok in ["ch01.md:51:", "ch01.md:59:", "ch01.md:64:"] {
        assert!(
            !errors.iter().any(|e| e.contains(ok)),
            "正确的框架被误报（{ok}）：\n{}",
            errors.join("\n")
        );
    }
}

// 新规则不误报：样本书的第二章按 CONTRIBUTING.md 的写法展示示例，
// 检查器对它不应报告任何问题。
fn a_correct_chapter_is_not_reported() {
    let errors = book_errors();
    assert!(
        !errors.iter().any(|e| e.contains("src/ch02.md")),
        "正确的章节被误报：\n{}",
        errors.join("\n")
    );
    // 它展示的示例和输出文件也都算被展示了（覆盖率的报错以文件名开头）。
    for file in [
        "listings/examples/ch02-01-good",
        "listings/compile-fail/cases/ch02-02-bad",
    ] {
        assert!(
            !errors.iter().any(|e| e.starts_with(file)),
            "{file} 被正确地展示了，不应报告：\n{}",
            errors.join("\n")
        );
    }
}

// 真实的书也用同一套检查：没有任何一条是样本独有的规则。
fn heading_ids_follow_mdbook() {
    assert_eq!(book::heading_id("9.2.1 JoinSet 增强"), "921-joinset-增强");
    assert_eq!(book::heading_id("Smol vs Tokio：选择"), "smol-vs-tokio选择");
}

// 正文点名的错误码要有依据（`book_tests::claims`）：没有依据的错误码、与正文脱节的断言文件都被报告，
// 有断言文件作证的错误码不被报告。
fn error_codes_in_the_prose_need_evidence() {
    let errors = book_errors();
    assert_reported(&errors, "src/ch03.md", "E0999");
    assert_reported(
        &errors,
        "tests/compiler-claims/ch03-stale.rs",
        "没有提到 E0001",
    );
    assert!(
        !errors.iter().any(|e| e.contains("E0998")),
        "有断言文件作证的 E0998 不应被报告：\n{}",
        errors.join("\n")
    );
}

// 断言文件真的交给 rustc：能编译的、报错里没有所引原话的、没写章节的，都必须失败并指出文件。
fn compiler_claims_that_do_not_hold_are_reported() {
    use book_tests::claims::check_with_rustc;
    let dir = repo_root().join("tests/fixtures/compiler-claims");
    for (file, what) in [
        ("compiles.rs", "编译成功了"),
        ("wrong-phrase.rs", "this phrase is not in the error"),
        ("no-chapter.rs", "缺少 `//@ chapter:"),
    ] {
        let err = check_with_rustc(&repo_root(), &dir.join(file))
            .expect_err(&format!("{file} 应当让检查失败"));
        assert!(err.contains(file) && err.contains(what), "{file}：{err}");
    }
}

tests![
    differing_output_is_reported_with_a_diff,
    failing_exit_status_is_reported_with_stderr,
    hanging_program_is_killed_and_named,
    failing_tests_in_a_test_listing_are_reported,
    test_listings_are_declared_and_run_with_cargo_test,
    broken_includes_are_reported,
    code_typed_into_a_chapter_is_reported,
    rendered_code_that_no_listing_contains_is_reported,
    unshown_listings_and_orphan_outputs_are_reported,
    console_output_typed_into_a_chapter_is_reported,
    broken_links_are_reported,
    a_listings_frame_is_checked_as_one_unit,
    every_fence_has_a_language_and_typed_text_is_a_sketch,
    pointers_into_the_repository_must_exist,
    line_breaks_between_chinese_are_reported,
    rendered_frames_are_checked,
    a_correct_chapter_is_not_reported,
    heading_ids_follow_mdbook,
    error_codes_in_the_prose_need_evidence,
    compiler_claims_that_do_not_hold_are_reported,
];
