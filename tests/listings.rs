//! 运行 `listings/examples/` 中的每一个示例，每个示例是一个独立的测试：
//!
//! ```console
//! $ cargo test -p book-tests --test book -- ch09-03
//! ```
//!
//! - 普通示例：标准输出必须与书中展示的 `.out` 文件逐字相同，标准错误必须为空；
//! - 基准测试（文件名含 `-bench-`）：以 `BOOK_BENCH=smoke` 运行，必须成功结束并有输出；
//! - 测试示例（源文件里有 `#[cfg(test)]`，第 17 章）：编译成测试程序，以 `--test-threads=1`
//!   运行，测试必须全部通过，libtest 的标准输出与 `.out` 比对（用时和线程号不比）；
//! - loom 的示例（`listings/loom/tests/`）：在 `target/loom` 里以 `--cfg loom` 编译运行，
//!   允许有失败的测试（书中展示的正是 loom 找到的失败），输出同样比对；
//! - 服务器：交给 `tests/network.rs`、`tests/redis.rs`、`tests/http.rs`。
//!
//! 这些测试与其他检查在同一个测试程序里并行运行（`tests/main.rs`）。
//!
//! 设置 `BLESS=1`（`cargo xtask bless` 会设置）时，把真实运行的输出写进 `.out` 文件。
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use book_tests::run::{
    TIME_LIMIT, blessed, build_test_listings, built_examples, compare, compare_test_output,
    run_test_listing, run_with_limit,
};
use book_tests::{Listing, ListingKind, book, listings, rel, repo_root};
use libtest_mimic::{Failed, Trial};

/// 测试示例（第 17 章）与 loom 示例编译成的测试程序：示例名 → 测试程序。
/// 所有示例测试共用一次编译；第一个用到它的测试去编译，其余的等它。
fn test_programs() -> &'static Result<BTreeMap<String, PathBuf>, String> {
    static PROGRAMS: OnceLock<Result<BTreeMap<String, PathBuf>, String>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let root = repo_root();
        build_test_listings(&root, &listings(&root)?)
    })
}

/// 每个示例一个测试（服务器示例除外，它们由 `network`、`redis`、`http` 这几组测试驱动）。
/// 列出测试只扫描文件；编译在第一个示例测试真正运行时才做（`--list` 不编译）。
pub fn trials(bless: bool) -> Result<Vec<Trial>, String> {
    let root = repo_root();
    let all = listings(&root)?;
    // 哪一章展示了哪个文件：失败时告诉读者去哪里看。
    let shown_in = book::shown_in(&root).unwrap_or_default();
    let trials = all
        .into_iter()
        .filter(|l| l.kind != ListingKind::Server)
        .map(|listing| {
            let root = root.clone();
            let mut chapters = shown_in
                .get(&listing.source)
                .cloned()
                .unwrap_or_else(|| vec!["（没有章节展示它）".into()]);
            // 一个示例分几段展示时，同一章会出现几次。
            chapters.dedup();
            Trial::test(listing.name.clone(), move || {
                let context = format!(
                    "示例 {}（展示于 {}）",
                    rel(&root, &listing.source),
                    chapters.join("、")
                );
                if matches!(listing.kind, ListingKind::Test | ListingKind::Loom) {
                    let programs = test_programs()
                        .as_ref()
                        .map_err(|e| format!("{context}：{e}"))?;
                    let program = programs.get(&listing.name).cloned();
                    return run_tests(&root, &listing, program, bless, &context);
                }
                let dir = built_examples()
                    .as_ref()
                    .map_err(|e| format!("{context}：{e}"))?;
                let exe = dir.join(&listing.name);
                let mut cmd = Command::new(&exe);
                cmd.current_dir(&root);
                if listing.kind == ListingKind::Bench {
                    cmd.env("BOOK_BENCH", "smoke");
                }
                let done =
                    run_with_limit(cmd, TIME_LIMIT).map_err(|e| format!("{context}：{e}"))?;
                if !done.stderr.is_empty() {
                    return Err(Failed::from(format!(
                        "{context} 向标准错误写了内容（书中的示例只写标准输出）：\n{}",
                        done.stderr
                    )));
                }
                match listing.kind {
                    ListingKind::Bench => {
                        if done.stdout.trim().is_empty() {
                            return Err(format!("{context}：冒烟模式下没有任何输出").into());
                        }
                        Ok(())
                    }
                    _ => {
                        let file = listing.output_file();
                        if bless {
                            std::fs::write(&file, blessed(&listing.command_line(), &done.stdout))
                                .map_err(|e| format!("{}: {e}", file.display()))?;
                            return Ok(());
                        }
                        compare(&file, &listing.command_line(), &done.stdout)
                            .map_err(|e| Failed::from(format!("{context}：{e}")))
                    }
                }
            })
        })
        .collect();
    Ok(trials)
}

/// 运行一个测试示例的测试程序，比对（或重新生成）它的输出。
fn run_tests(
    root: &std::path::Path,
    listing: &Listing,
    program: Option<std::path::PathBuf>,
    bless: bool,
    context: &str,
) -> Result<(), Failed> {
    let exe = program.ok_or_else(|| format!("{context}：cargo 没有报告这个测试程序"))?;
    let mut cmd = Command::new(exe);
    // cargo test 在包的目录里运行测试程序。
    let package = if listing.kind == ListingKind::Loom {
        "listings/loom"
    } else {
        "listings"
    };
    cmd.current_dir(root.join(package)).arg("--test-threads=1");
    let done = run_test_listing(cmd, listing.kind == ListingKind::Loom)
        .map_err(|e| format!("{context}：{e}"))?;
    let file = listing.output_file();
    let command = listing.command_line();
    let same = compare_test_output(&file, &command, &done.stdout);
    if bless && same.is_err() {
        // 只有真正变了才重写：用时和线程号每次都不同，不必让 git diff 跟着变。
        std::fs::write(&file, blessed(&command, &done.stdout))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        return Ok(());
    }
    same.map_err(|e| Failed::from(format!("{context}：{e}")))
}
