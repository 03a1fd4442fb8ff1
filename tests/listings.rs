//! 运行 `listings/examples/` 中的每一个示例，每个示例是一个独立的测试：
//!
//! ```console
//! $ cargo test -p book-tests --test listings -- ch09-03
//! ```
//!
//! - 普通示例：标准输出必须与书中展示的 `.out` 文件逐字相同，标准错误必须为空；
//! - 基准测试（文件名含 `-bench-`）：以 `BOOK_BENCH=smoke` 运行，必须成功结束并有输出；
//! - 测试示例（源文件里有 `#[cfg(test)]`，第 17 章）：编译成测试程序，以 `--test-threads=1`
//!   运行，测试必须全部通过，libtest 的标准输出与 `.out` 比对（用时和线程号不比）；
//! - loom 的示例（`listings/loom/tests/`）：在 `target/loom` 里以 `--cfg loom` 编译运行，
//!   允许有失败的测试（书中展示的正是 loom 找到的失败），输出同样比对；
//! - 服务器：交给 `tests/network.rs`。
//!
//! 设置 `BLESS=1`（`cargo xtask bless` 会设置）时，把真实运行的输出写进 `.out` 文件。
use std::process::{Command, ExitCode};

use book_tests::run::{
    TIME_LIMIT, blessed, build_examples, build_test_listings, compare, compare_test_output,
    run_test_listing, run_with_limit,
};
use book_tests::{ListingKind, book, listings, rel, repo_root};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let root = repo_root();
    let bless = std::env::var_os("BLESS").is_some();
    let all = match listings(&root) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // 只在有示例要运行时才编译（`--list` 之类不需要）。
    let examples_dir = if args.list {
        None
    } else {
        match build_examples(&root) {
            Ok(d) => Some(d),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    };
    // 测试示例另外编译成测试程序（已是最新时几乎不花时间）。
    let test_programs = if args.list {
        Default::default()
    } else {
        match build_test_listings(&root, &all) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    };
    // 哪一章展示了哪个文件：失败时告诉读者去哪里看。
    let shown_in = book::shown_in(&root).unwrap_or_default();

    let trials = all
        .into_iter()
        .filter(|l| l.kind != ListingKind::Server)
        .map(|listing| {
            let root = root.clone();
            let dir = examples_dir.clone();
            let test_program = test_programs.get(&listing.name).cloned();
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
                    return run_tests(&root, &listing, test_program, bless, &context);
                }
                let exe = dir.expect("已编译").join(&listing.name);
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
    libtest_mimic::run(&args, trials).exit_code()
}

/// 运行一个测试示例的测试程序，比对（或重新生成）它的输出。
fn run_tests(
    root: &std::path::Path,
    listing: &book_tests::Listing,
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
