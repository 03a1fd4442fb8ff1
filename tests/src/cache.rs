//! 编译器检查的结果缓存：一项检查的全部输入逐字节没有变，就不再把同样的编译重做一遍。
//!
//! 只用于结果完全由输入决定的检查：无法编译的示例（trybuild）和正文点名的编译器报错
//! （`tests/compiler-claims/`）。它们的结果只取决于源文件、期望的报错、锁定的依赖版本
//! （`Cargo.lock`，crates.io 上同一版本的源码不会变）、编译器（`rustc -vV` 含提交哈希）
//! 和影响编译的环境变量，这些都进了缓存的键。运行示例、驱动服务器的测试从不缓存：
//! 它们的结果还取决于机器和时间，每次都真的运行。
//!
//! 键只在检查通过后写下（`target/` 下的 `book-cache/`），失败从不缓存；新克隆的仓库和 CI
//! 没有缓存，总是完整地检查。设 `BOOK_NO_CACHE=1` 强制重做。
//!
//! 这个文件不依赖本 crate 的其他部分：`listings/compile-fail/tests/compile_fail.rs` 用 `#[path]`
//! 引入同一个文件（那个包不能依赖 book-tests：trybuild 会把开发依赖也编译进每个示例的构建）。

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 影响编译结果的环境变量：它们的值也进键。
const ENV: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTC",
    "RUSTC_BOOTSTRAP",
    "RUSTC_WRAPPER",
];

/// 一项检查的输入：依次喂进来的文件和文字。
pub struct Key {
    // 两个起点不同的 SipHash，合成 128 位：偶然碰撞可以不计。
    a: DefaultHasher,
    b: DefaultHasher,
}

impl Key {
    /// 新的键，`check` 是检查的名字（不同检查的键互不相干）。已含编译器的版本（`rustc -vV`）
    /// 和 [`ENV`] 中的环境变量；锁文件、清单和源文件由调用者用 [`Key::file`]、[`Key::dir`] 加进来。
    pub fn new(check: &str) -> Result<Key, String> {
        let mut key = Key {
            a: DefaultHasher::new(),
            b: DefaultHasher::new(),
        };
        key.b.write(b"book-cache");
        key.text(check);
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let version = Command::new(&rustc)
            .arg("-vV")
            .output()
            .map_err(|e| format!("无法运行 {rustc} -vV：{e}"))?;
        key.text(&String::from_utf8_lossy(&version.stdout));
        for var in ENV {
            key.text(var);
            key.text(&std::env::var(var).unwrap_or_default());
        }
        Ok(key)
    }

    /// 工作区根目录下决定依赖与编译方式的文件：`Cargo.lock`、`Cargo.toml`、`.cargo/config.toml`。
    pub fn workspace(&mut self, root: &Path) -> Result<(), String> {
        for file in ["Cargo.lock", "Cargo.toml", ".cargo/config.toml"] {
            self.file(&root.join(file))?;
        }
        Ok(())
    }

    pub fn text(&mut self, s: &str) {
        for h in [&mut self.a, &mut self.b] {
            h.write_usize(s.len());
            h.write(s.as_bytes());
        }
    }

    /// 一个文件：路径和内容都进键（改名也算改动）。
    pub fn file(&mut self, path: &Path) -> Result<(), String> {
        let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
        self.text(&path.to_string_lossy());
        for h in [&mut self.a, &mut self.b] {
            h.write_usize(bytes.len());
            h.write(&bytes);
        }
        Ok(())
    }

    /// 一个目录下的全部文件（按名字排序，不进子目录）。
    pub fn dir(&mut self, dir: &Path) -> Result<(), String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("无法读取 {}：{e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in &files {
            self.file(f)?;
        }
        Ok(())
    }

    pub fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.a.finish(), self.b.finish())
    }
}

/// `dir` 下记着检查 `check` 上一次通过时的键。
fn record_path(dir: &Path, check: &str) -> PathBuf {
    dir.join(format!("{check}.passed"))
}

/// 这一组输入上一次已经通过了检查（记录在 `dir` 下）。
pub fn passed_before(dir: &Path, check: &str, key: &Key) -> bool {
    if std::env::var_os("BOOK_NO_CACHE").is_some() {
        return false;
    }
    std::fs::read_to_string(record_path(dir, check)).is_ok_and(|k| k.trim() == key.hex())
}

/// 记下这一组输入通过了检查。写不下只是下次要重做，不算失败。
pub fn record_pass(dir: &Path, check: &str, key: &Key) {
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(record_path(dir, check), key.hex());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(files: &[(&str, &str)]) -> String {
        let dir = std::env::temp_dir().join(format!("book-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, body) in files {
            std::fs::write(dir.join(name), body).unwrap();
        }
        let mut key = Key::new("test").unwrap();
        key.dir(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        key.hex()
    }

    #[test]
    fn any_change_to_an_input_changes_the_key() {
        let base = key_of(&[("a.rs", "fn main() {}"), ("a.stderr", "error[E0277]")]);
        assert_eq!(
            base,
            key_of(&[("a.rs", "fn main() {}"), ("a.stderr", "error[E0277]")])
        );
        assert_ne!(
            base,
            key_of(&[("a.rs", "fn main() { }"), ("a.stderr", "error[E0277]")])
        );
        assert_ne!(
            base,
            key_of(&[("a.rs", "fn main() {}"), ("a.stderr", "error[E0308]")])
        );
        assert_ne!(
            base,
            key_of(&[("b.rs", "fn main() {}"), ("a.stderr", "error[E0277]")])
        );
        assert_ne!(base, key_of(&[("a.rs", "fn main() {}")]));
    }
}
