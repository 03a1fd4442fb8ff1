//! 基准测试示例共用的轮次安排（示例 14-12、21-3、21-4、21-5、21-6 用 `#[path]` 引入）。
//!
//! - 每个变体测 [`rounds`] 轮，之前另有一轮预热，不计入：第一次运行时要缺页、建线程、
//!   填满分配器的缓存，这些只发生一次；
//! - 几个变体逐轮交替（ABAB…），并且每一轮换一个变体先测：机器的状态随时间变化时，
//!   变化平均地落在每个变体上，而不是偏向先测或后测的那个；
//! - 每轮每个变体打印一行 `名字 = 数值`，`cargo xtask bench` 收集全部各轮的数值，
//!   书中给出中位数和四分位距；`# 第 i/N 轮` 这样的注释行让它显示进度。

/// 完整测量时每个变体的轮数（不含预热）。环境变量 `BOOK_BENCH_ROUNDS` 可以改它；
/// `BOOK_BENCH=smoke` 时只测 1 轮，测试用它确认程序能运行。
pub const ROUNDS: usize = 15;

/// 是否完整测量（不是冒烟模式）。
pub fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

/// 这次运行的轮数。
pub fn rounds() -> usize {
    if !full() {
        return 1;
    }
    std::env::var("BOOK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(ROUNDS)
}

/// 交替测量几个变体：`measure(i)` 测一次第 `i` 个变体，返回一个数值。
/// 第 0 轮是预热（测了，不打印），之后每轮按轮换的顺序把每个变体测一次。
pub fn interleave(names: &[String], mut measure: impl FnMut(usize) -> f64) {
    interleave_with(names.len(), |i| vec![(names[i].clone(), measure(i))]);
}

/// 与 [`interleave`] 相同，只是测一次可以得到几个有名字的数值。
pub fn interleave_with(variants: usize, mut measure: impl FnMut(usize) -> Vec<(String, f64)>) {
    let n = rounds();
    for round in 0..=n {
        if round == 0 {
            println!("# 预热");
        } else {
            println!("# 第 {round}/{n} 轮");
        }
        for k in 0..variants {
            // 轮流先测：第 r 轮从第 r 个变体开始。
            let i = (k + round) % variants;
            let values = measure(i);
            if round > 0 {
                for (name, v) in values {
                    println!("{name} = {v:.1}");
                }
            }
        }
    }
}
