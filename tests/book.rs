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
/// CI 把测试命令作为后台作业运行（`cargo xtask test &`，再 `wait $!` 取回它的退出码）：
/// 非交互的 shell 让后台作业忽略 SIGINT，测试套件必须不受它继承的信号处理方式影响。
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
    let lines: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        lines.contains(&"set -euo pipefail"),
        ".ci/run 要 `set -euo pipefail`，任何一步失败都让 CI 失败"
    );
    assert!(
        lines
            .windows(2)
            .any(|w| w == ["cargo xtask test &", "wait $!"]),
        ".ci/run 必须把 README 中的测试命令作为后台作业运行并取回它的退出码：\
         `cargo xtask test &` 之后紧跟 `wait $!`（`set -e` 让失败的 wait 结束脚本）"
    );
}
