//! 书中“无法编译”的示例必须真的无法编译，而且编译器的报错与书中展示的
//! `.stderr` 文件逐字一致。更新报错：`cargo xtask bless`（即
//! `TRYBUILD=overwrite cargo test -p listings-compile-fail`），然后阅读 diff。
//!
//! trybuild 在丢弃 `TestCases` 时编译并比对；两组检查放在同一个测试里依次进行，
//! 免得两个 trybuild 同时使用同一个构建目录。
use std::panic::{AssertUnwindSafe, catch_unwind};

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
    trybuild::TestCases::new().compile_fail("cases/*.rs");

    // 检查器自己的测试：能编译的“无法编译示例”、报错不同的示例，都必须让检查失败。
    // 重新生成（TRYBUILD=overwrite）时 trybuild 会改写样本的 .stderr，所以那时跳过。
    if std::env::var_os("TRYBUILD").is_some() {
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
}
