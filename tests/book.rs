//! 书的源文件检查（见 `book_tests::book`）。失败时列出每个问题的文件和行号。
use book_tests::{book, repo_root};

#[test]
fn chapters_includes_listings_and_links_are_consistent() {
    let errors = book::check(&repo_root());
    assert!(
        errors.is_empty(),
        "书的源文件有 {} 个问题：\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// README 开头的两条命令就是 `.ci/run` 运行的命令：读者照着 README 做，得到的就是 CI 的检查。
#[test]
fn readme_commands_are_the_ones_ci_runs() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    let blocks = book_tests::markdown::fenced_blocks(&readme);
    let commands: Vec<&str> = blocks
        .iter()
        .take(2)
        .map(|b| b.body.trim().trim_start_matches("$ "))
        .collect();
    assert_eq!(
        commands,
        ["cargo xtask serve", "cargo xtask test"],
        "README.md 的前两个代码块应是构建预览和运行全部测试的命令"
    );
    assert!(
        ci.lines().any(|l| l.trim() == "cargo xtask test"),
        ".ci/run 必须运行 README 中的测试命令 `cargo xtask test`"
    );
}

/// README 中 `cargo run --example` 提到的示例都存在。
#[test]
fn readme_examples_exist() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let names: Vec<&str> = readme
        .split("cargo run --example ")
        .skip(1)
        .map(|rest| rest.split_whitespace().next().unwrap_or(""))
        .collect();
    assert!(!names.is_empty(), "README 应示范如何运行一个示例");
    for name in names {
        let path = root.join("listings/examples").join(format!("{name}.rs"));
        assert!(
            path.exists(),
            "README 提到的示例 {name} 不存在：{}",
            path.display()
        );
    }
}
