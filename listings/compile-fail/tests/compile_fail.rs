//! 书中“无法编译”的示例必须真的无法编译，而且编译器的报错与书中展示的
//! `.stderr` 文件逐字一致。更新报错：`TRYBUILD=overwrite cargo test -p listings-compile-fail`
//! （或 `cargo xtask bless`），然后阅读 diff。
#[test]
fn compile_fail_listings() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/*.rs");
}
