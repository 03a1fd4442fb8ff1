//! 示例 21-11（基准测试）：同一件小事（派生一个执行单元、等它交回一个数）用五种方式写成的
//! 最小程序，去掉符号之后的 release 二进制有多大。
//!
//! 完整测量：`cargo run --release --example ch21-11-bench-binary-size`。
//! 五个程序各是 `listings/binsize/` 下一个独立的包（不属于本书的工作区，依赖只有它自己的那一个），
//! 以同样的方式编译：`cargo build --release --locked`，共用构建目录 `target/binsize`；
//! 再复制一份，用 `strip` 去掉符号表后量文件大小。
//! `BOOK_BENCH=smoke` 时不编译，只量本程序自己（确认量的那一步能运行）。

use std::path::{Path, PathBuf};
use std::process::Command;

/// 五个包：（结果里的名字，`listings/binsize/` 下的目录）。
const PROGRAMS: [(&str, &str); 5] = [
    ("std", "std"),
    ("executor", "executor"),
    ("smol_global", "smol-global"),
    ("tokio_rt", "tokio-rt"),
    ("tokio_full", "tokio-full"),
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
    let scratch = std::env::temp_dir().join(format!("book-size-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    println!("# 去掉符号表之后的 release 二进制大小（字节）");
    if std::env::var("BOOK_BENCH").as_deref() == Ok("smoke") {
        let me = std::env::current_exe().unwrap();
        println!("binary_size.smoke_bytes = {}", stripped_size(&me, &scratch));
    } else {
        let packages = Path::new(env!("CARGO_MANIFEST_DIR")).join("binsize");
        let target: PathBuf = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
            .join("binsize");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        for (name, dir) in PROGRAMS {
            println!("# 编译 listings/binsize/{dir}");
            let out = Command::new(&cargo)
                .args(["build", "--quiet", "--release", "--locked"])
                .current_dir(packages.join(dir))
                .env("CARGO_TARGET_DIR", &target)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let binary = target.join("release").join(format!("binsize-{dir}"));
            println!(
                "binary_size.{name}_bytes = {}",
                stripped_size(&binary, &scratch)
            );
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
// ANCHOR_END: main
