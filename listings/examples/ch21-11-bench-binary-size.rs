//! 示例 21-11（基准测试）：示例 21-8、21-9、21-10 去掉符号之后的 release 二进制有多大。
//!
//! 完整测量：`cargo run --release --example ch21-11-bench-binary-size`。
//! 它先用 `cargo build --release` 编译三个小程序，再用 `strip` 去掉符号表后量文件大小。
//! `BOOK_BENCH=smoke` 时不编译，只量已经编译好的（测试编译的 debug 版本）。

use std::path::{Path, PathBuf};
use std::process::Command;

fn full() -> bool {
    std::env::var("BOOK_BENCH").as_deref() != Ok("smoke")
}

const PROGRAMS: [(&str, &str); 3] = [
    ("std", "ch21-08-size-std"),
    ("tokio", "ch21-09-size-tokio"),
    ("smol", "ch21-10-size-smol"),
];

// ANCHOR: strip
/// 复制一份二进制，用 `strip` 去掉符号表，返回去掉之后的字节数。
fn stripped_size(binary: &Path, scratch: &Path) -> u64 {
    let copy = scratch.join(binary.file_name().unwrap());
    std::fs::copy(binary, &copy).unwrap();
    let out = Command::new("strip")
        .arg(&copy)
        .output()
        .expect("需要 binutils 的 strip");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let size = std::fs::metadata(&copy).unwrap().len();
    std::fs::remove_file(&copy).unwrap();
    size
}
// ANCHOR_END: strip

// ANCHOR: main
fn main() {
    // 本程序所在的目录就是示例的输出目录，例如 target/release/examples。
    let me = std::env::current_exe().unwrap();
    let dir: PathBuf = me.parent().unwrap().to_path_buf();
    let release = dir.parent().is_some_and(|p| p.ends_with("release"));
    if full() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "listings"]);
        if release {
            build.arg("--release");
        }
        for (_, example) in PROGRAMS {
            build.args(["--example", example]);
        }
        let out = build.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let profile = if release { "release" } else { "debug" };
    println!("# 去掉符号表之后的 {profile} 二进制大小（字节）");
    let scratch = std::env::temp_dir().join(format!("book-size-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    for (name, example) in PROGRAMS {
        let binary = dir.join(example);
        if binary.exists() {
            println!(
                "binary_size.{profile}.{name}_bytes = {}",
                stripped_size(&binary, &scratch)
            );
        } else {
            println!("# {} 还没有编译", binary.display());
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
// ANCHOR_END: main
