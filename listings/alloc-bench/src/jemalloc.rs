//! 示例 21-3 以 jemalloc（tikv-jemallocator）作全局分配器。

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[path = "../../examples/ch21-03-bench-pool.rs"]
#[allow(dead_code)]
mod listing;

fn main() {
    listing::bench("jemalloc");
}
