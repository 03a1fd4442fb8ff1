//! 本书的测试程序：`cargo test` 运行的检查（开发服务器的测试 `tests/serve.rs` 除外）都在这一个程序里，
//! 用同一个线程池并行运行。
//!
//! ```console
//! $ cargo test -p book-tests --test book -- ch09-03      # 一个示例
//! $ cargo test -p book-tests --test book -- redis::      # 一组测试
//! ```
//!
//! 每个示例是一个测试（名字就是示例名，见 `listings.rs`）；其余的测试按文件分组，名字是
//! `文件::函数`：`book`（书的源文件）、`checker`（检查器自己的坏样本）、`figures`（性能数字）、
//! `network`、`redis`、`http`（驱动服务器示例）、`offline`（离线版检查器的坏样本）。
//! 无法编译的示例由 `listings/compile-fail` 包自己的 trybuild 测试检查。
//!
//! 为什么是一个程序：`cargo test` 依次运行各个测试程序，前一个结束后一个才开始。驱动服务器的测试
//! 大多在等（等过期、等期限、等进程退出），分在几个程序里时，这些等待一段接一段地排队；放进同一个
//! 线程池，它们和示例的运行重叠在一起。测得的耗时见 `tests/DESIGN.md`。
#![deny(dead_code)]

use std::process::ExitCode;

use libtest_mimic::{Arguments, Trial};

/// 登记一个文件里的测试函数。没有登记的函数不会被调用，`dead_code` 让编译失败，测试不会悄悄漏掉。
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        pub const TESTS: crate::Tests = &[$((stringify!($name), $name)),*];
    };
}

/// 一个文件里登记的测试：（函数名，函数）。
type Tests = &'static [(&'static str, fn())];

mod book;
mod checker;
mod figures;
mod http;
mod listings;
mod network;
mod offline;
mod redis;

/// 默认的并行度：核心数的三倍。多数测试在等子进程或计时器，不占 CPU；线程数等于核心数时，
/// 几个等待中的测试就把线程占满了。用 `--test-threads` 可以改。
const THREADS_PER_CORE: usize = 3;

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    if args.test_threads.is_none() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        args.test_threads = Some(cores * THREADS_PER_CORE);
    }
    // 等得最久的几组排在前面，先开始；示例排在最后。
    let groups: [(&str, Tests); 7] = [
        ("redis", redis::TESTS),
        ("http", http::TESTS),
        ("network", network::TESTS),
        ("book", book::TESTS),
        ("figures", figures::TESTS),
        ("checker", checker::TESTS),
        ("offline", offline::TESTS),
    ];
    let mut trials: Vec<Trial> = groups
        .iter()
        .flat_map(|&(group, tests)| {
            tests.iter().map(move |&(name, test)| {
                Trial::test(format!("{group}::{name}"), move || {
                    test();
                    Ok(())
                })
            })
        })
        .collect();
    let bless = std::env::var_os("BLESS").is_some();
    match listings::trials(bless) {
        Ok(t) => trials.extend(t),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    // 示例要先编译（一次 `cargo test --no-run`，已是最新时也要约一秒）：在后台先开始，
    // 排在前面的测试同时运行。`--list` 不需要它。
    if !args.list {
        std::thread::spawn(|| {
            let _ = book_tests::run::built_examples();
        });
    }
    libtest_mimic::run(&args, trials).exit_code()
}
