//! 示例 21-3 以 mimalloc 作全局分配器。

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../examples/ch21-03-bench-pool.rs"]
#[allow(dead_code)]
mod listing;

fn main() {
    listing::bench("mimalloc");
}
