//! 书的源文件检查（见 `book_tests::book`）。失败时列出每个问题的文件和行号。
use book_tests::{book, repo_root};

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

/// 前言的版本表就是 `Cargo.lock` 锁定的版本：`listings` 的每个直接依赖各占一行，
/// 版本与锁文件一致。升级依赖而忘了改前言，这个测试就失败。
fn preface_versions_are_the_locked_ones() {
    let root = repo_root();
    let preface = std::fs::read_to_string(root.join("src/README.md")).unwrap();
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(root.join("listings/Cargo.toml")).unwrap();

    // 锁文件里每个包的全部版本（同一个 crate 可能有几个版本）。
    let mut locked: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for pkg in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            pkg.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().trim_matches('"'))
        };
        if let (Some(name), Some(version)) = (field("name = "), field("version = ")) {
            locked.entry(name).or_default().push(version);
        }
    }
    // 前言表格中的行：| crate | 版本 |
    let table: Vec<(&str, &str)> = preface
        .lines()
        .skip_while(|l| !l.starts_with("| crate | 版本 |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells.len() >= 3).then(|| (cells[1], cells[2]))
        })
        .collect();
    assert!(
        !table.is_empty(),
        "src/README.md 里找不到 `| crate | 版本 |` 表格"
    );
    let mut problems = Vec::new();
    for (name, version) in &table {
        match locked.get(name) {
            Some(vs) if vs.contains(version) => {}
            Some(vs) => problems.push(format!(
                "{name}：前言写 {version}，Cargo.lock 锁定的是 {vs:?}"
            )),
            None => problems.push(format!("{name}：Cargo.lock 里没有这个 crate")),
        }
    }
    // listings 的每个直接依赖都在表里。
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap_or("")
        .split("\n[")
        .next()
        .unwrap_or("");
    for line in deps.lines() {
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if !name.is_empty() && !name.starts_with('#') && !table.iter().any(|(n, _)| *n == name) {
            problems.push(format!(
                "{name}：listings/Cargo.toml 依赖它，前言的版本表里却没有"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "src/README.md 的版本表与 Cargo.lock 不一致（改表格，让它与锁文件一致）：\n{}",
        problems.join("\n")
    );
}

/// 正文只在一句话里点名的编译器报错（`tests/compiler-claims/`），用锁定的 rustc 真的编译一次：
/// 必须编译失败，报错里必须有断言写下的每个片段。
///
/// 结果只取决于断言文件、检查它们的代码和编译器：这些与上一次通过时逐字节相同，就不再编译
/// （`book_tests::cache`；`BOOK_NO_CACHE=1` 强制重做）。
fn compiler_errors_named_in_the_prose_are_real() {
    use book_tests::cache::{self, Key};
    use book_tests::claims;
    const CHECK: &str = "compiler-claims";
    let root = repo_root();
    let files = claims::claim_files(&root.join(claims::CLAIMS_DIR));
    assert!(!files.is_empty(), "{} 下没有断言文件", claims::CLAIMS_DIR);
    let cache_dir = book_tests::run::profile_dir().join("book-cache");
    let key = (|| {
        let mut key = Key::new(CHECK)?;
        key.workspace(&root)?;
        // 检查的代码也是输入：改了判定规则，就要重新判定。
        for f in ["tests/src/claims.rs", "tests/src/cache.rs"] {
            key.file(&root.join(f))?;
        }
        for f in &files {
            key.file(f)?;
        }
        Ok::<_, String>(key)
    })()
    .unwrap_or_else(|e| panic!("{e}"));
    if cache::passed_before(&cache_dir, CHECK, &key) {
        return;
    }
    let errors: Vec<String> = files
        .iter()
        .filter_map(|f| claims::check_with_rustc(&root, f).err())
        .collect();
    assert!(
        errors.is_empty(),
        "{} 个断言不成立：\n{}",
        errors.len(),
        errors.join("\n\n")
    );
    cache::record_pass(&cache_dir, CHECK, &key);
}

tests![
    chapters_includes_listings_and_links_are_consistent,
    readme_commands_are_the_ones_ci_runs,
    preface_versions_are_the_locked_ones,
    compiler_errors_named_in_the_prose_are_real,
];
