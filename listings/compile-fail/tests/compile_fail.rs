//! 书中“无法编译”的示例必须真的无法编译，而且编译器的报错与书中展示的
//! `.stderr` 文件逐字一致。更新报错：`cargo xtask bless`（即
//! `TRYBUILD=overwrite cargo test -p listings-compile-fail`），然后阅读 diff。
//!
//! trybuild 在丢弃 `TestCases` 时编译并比对；两组检查放在同一个测试里依次进行，
//! 免得两个 trybuild 同时使用同一个构建目录。
//!
//! 结果只取决于输入（示例与 `.stderr`、检查器的样本、锁定的依赖、编译器），所以输入与上一次
//! 通过时逐字节相同，就不再把 38 个示例重新编译一遍（`tests/src/cache.rs`；设 `BOOK_NO_CACHE=1`
//! 强制重做）。新克隆的仓库和 CI 没有缓存，总是完整地检查。
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[path = "../../../tests/src/cache.rs"]
mod cache;

/// 缓存里这项检查的名字。
const CHECK: &str = "compile-fail";

/// 决定检查结果的全部输入。
fn inputs() -> Result<cache::Key, String> {
    let root = Path::new("../..");
    let mut key = cache::Key::new(CHECK)?;
    key.workspace(root)?;
    for dir in ["cases", "src", "tests", "../../tests/fixtures/compile-fail"] {
        key.dir(Path::new(dir))?;
    }
    key.file(Path::new("Cargo.toml"))?;
    key.file(&root.join("tests/src/cache.rs"))?;
    Ok(key)
}

#[test]
fn compile_fail_listings() {
    let cases = std::fs::read_dir("cases")
        .expect("cases/ 目录")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "rs"))
        })
        .count();
    assert!(cases > 0, "cases/ 中没有无法编译的示例");
    let overwrite = std::env::var_os("TRYBUILD").is_some();
    // 只检查一部分示例（`-- trybuild=过滤词`）时，通过了也不能代表全部：既不用缓存，也不记下。
    let partial = std::env::args().any(|a| a.starts_with("trybuild="));
    let use_cache = !overwrite && !partial;
    let cache_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("book-cache");
    let key = inputs().unwrap_or_else(|e| panic!("{e}"));
    if use_cache && cache::passed_before(&cache_dir, CHECK, &key) {
        eprintln!(
            "listings/compile-fail/ 与上次通过检查时逐字节相同，不再重新编译（设 BOOK_NO_CACHE=1 强制重做）"
        );
        return;
    }
    trybuild::TestCases::new().compile_fail("cases/*.rs");

    // 检查器自己的测试：能编译的“无法编译示例”、报错不同的示例，都必须让检查失败。
    // 重新生成（TRYBUILD=overwrite）时 trybuild 会改写样本的 .stderr，所以那时跳过。
    if overwrite {
        eprintln!("TRYBUILD 已设置：跳过检查器样本");
        return;
    }
    for (fixture, why) in [
        ("compiles.rs", "能编译的示例"),
        ("wrong-error.rs", "报错与 .stderr 不同的示例"),
    ] {
        let path = format!("../../tests/fixtures/compile-fail/{fixture}");
        let result = catch_unwind(AssertUnwindSafe(|| {
            trybuild::TestCases::new().compile_fail(&path);
        }));
        assert!(result.is_err(), "{why}（{path}）没有让检查失败");
    }
    if use_cache {
        cache::record_pass(&cache_dir, CHECK, &key);
    }
}
