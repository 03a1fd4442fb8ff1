//! 守卫：`.cargo/config.toml` 的 rustflags 没有生效（例如环境变量 RUSTFLAGS 盖过了它）时，
//! 示例 18-8 中 cfg(tokio_unstable) 的代码根本不会被编译，这次构建也就什么都没检查。
fn main() {
    if std::env::var_os("CARGO_CFG_TOKIO_UNSTABLE").is_none() {
        panic!(
            "listings/console 必须用 --cfg tokio_unstable 构建（见 listings/console/.cargo/config.toml）"
        );
    }
}
