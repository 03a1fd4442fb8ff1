//! 正文点名的编译器报错（`E0382` 这样的错误码）必须有据可查。
//!
//! 书中展示的报错都是无法编译的示例（`listings/compile-fail/cases/`）的 `.stderr`，由
//! trybuild 逐字核对。正文有时只在一句话里提到一个报错（“这样写编译器会报 E0382，
//! 并建议改成 `as_mut()`”），不值得为它加一个示例。这样的断言写成
//! `tests/compiler-claims/` 下的一个小文件：开头几行说明它核对哪一章、报错里必须有哪些片段，
//!
//! ```text
//! //@ chapter: src/ch05-pin.md
//! //@ expect: error[E0382]
//! //@ expect: future.as_mut()
//! ```
//!
//! 测试用本书锁定的 rustc 编译它（只用标准库），要求编译失败、报错含有每个片段。
//! 反过来，正文里出现的每个错误码，要么出现在某个无法编译的示例的 `.stderr` 里，
//! 要么有一个指向这一章的断言文件。

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::rel;

/// 断言文件所在的目录（相对仓库根目录）。
pub const CLAIMS_DIR: &str = "tests/compiler-claims";
/// 无法编译的示例所在的目录（相对仓库根目录）。
pub const CASES_DIR: &str = "listings/compile-fail/cases";

/// 一个断言文件：它核对的章节，和报错里必须出现的片段（第一个是 `error[E…]`）。
#[derive(Debug)]
pub struct Claim {
    pub file: PathBuf,
    /// 点名这个报错的章节（可以有几章）。
    pub chapters: Vec<String>,
    pub expects: Vec<String>,
    /// `//@ nightly`：以 `RUSTC_BOOTSTRAP=1` 运行同一个 rustc，打开正文说“只在 nightly 可用”的特性。
    pub nightly: bool,
}

impl Claim {
    /// 断言的错误码，例如 `E0382`。
    pub fn code(&self) -> &str {
        self.expects[0]
            .strip_prefix("error[")
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or("")
    }
}

/// 读出一个断言文件的 `//@` 行。
pub fn parse(root: &Path, file: &Path) -> Result<Claim, String> {
    let shown = rel(root, file);
    let text = std::fs::read_to_string(file).map_err(|e| format!("{shown}: 无法读取（{e}）"))?;
    let mut chapters = Vec::new();
    let mut expects = Vec::new();
    let mut nightly = false;
    for line in text.lines() {
        if line == "//@ nightly" {
            nightly = true;
            continue;
        }
        let Some(rest) = line.strip_prefix("//@ ") else {
            continue;
        };
        if let Some(c) = rest.strip_prefix("chapter: ") {
            chapters.push(c.trim().to_string());
        } else if let Some(e) = rest.strip_prefix("expect: ") {
            expects.push(e.trim().to_string());
        } else {
            return Err(format!(
                "{shown}: 不认识的 `//@ {rest}`：只有 `//@ chapter: src/…md`、`//@ expect: 片段` 和 `//@ nightly` 三种"
            ));
        }
    }
    if chapters.is_empty() {
        return Err(format!(
            "{shown}: 缺少 `//@ chapter: src/…md`，写明它核对的是哪一章的哪句话"
        ));
    }
    let claim = Claim {
        file: file.to_path_buf(),
        chapters,
        expects,
        nightly,
    };
    if error_codes(claim.expects.first().map_or("", String::as_str)).len() != 1
        || !claim.expects[0].starts_with("error[")
    {
        return Err(format!(
            "{shown}: 第一个 `//@ expect:` 要是正文点名的报错，例如 `//@ expect: error[E0382]`"
        ));
    }
    Ok(claim)
}

/// `dir` 下全部断言文件（按文件名排序）；目录不存在时为空。
pub fn claim_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// 用 rustc 编译一个断言文件（edition 2024，只生成元数据），要求失败，并且报错含有每个片段。
pub fn check_with_rustc(root: &Path, file: &Path) -> Result<(), String> {
    let claim = parse(root, file)?;
    let shown = rel(root, file);
    let out_dir = std::env::temp_dir().join(format!("book-claims-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("无法创建 {}：{e}", out_dir.display()))?;
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut cmd = Command::new(&rustc);
    if claim.nightly {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    let output = cmd
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit=metadata",
        ])
        .arg("--crate-name")
        .arg("claim")
        .arg("--out-dir")
        .arg(&out_dir)
        .arg(file)
        .output()
        .map_err(|e| format!("{shown}: 无法运行 {rustc}：{e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        return Err(format!(
            "{shown}: 编译成功了，可 {} 说它会报 {}。改正正文（或这个断言文件），让两者一致",
            claim.chapters.join("、"),
            claim.code()
        ));
    }
    let missing: Vec<&String> = claim
        .expects
        .iter()
        .filter(|e| !stderr.contains(e.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{shown}: 编译器的报错里没有 {missing:?}（{} 依据的就是这些片段）。读下面的真实报错，改正正文和断言：\n{stderr}",
            claim.chapters.join("、")
        ));
    }
    Ok(())
}

/// 一段文字里出现的错误码（`E` 加四位数字，前后不是字母或数字）。
pub fn error_codes(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut codes = Vec::new();
    for (i, _) in text.match_indices('E') {
        let digits = &bytes[i + 1..(i + 5).min(bytes.len())];
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after_ok = bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric());
        if digits.len() == 4 && digits.iter().all(u8::is_ascii_digit) && before_ok && after_ok {
            codes.push(text[i..i + 5].to_string());
        }
    }
    codes
}

/// 静态检查（不运行编译器）：断言文件格式正确、指向的章节存在且提到了这个错误码；
/// 正文里的每个错误码都有无法编译的示例或断言文件作证。
pub fn check(root: &Path, chapters: &[PathBuf]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut claims = Vec::new();
    for file in claim_files(&root.join(CLAIMS_DIR)) {
        match parse(root, &file) {
            Ok(c) => claims.push(c),
            Err(e) => errors.push(e),
        }
    }
    for c in &claims {
        let shown = rel(root, &c.file);
        for chapter in &c.chapters {
            match std::fs::read_to_string(root.join(chapter)) {
                Ok(text) if text.contains(c.code()) => {}
                Ok(_) => errors.push(format!(
                    "{shown}: {chapter} 没有提到 {}：断言核对的那句话不在了，删掉这一行 `//@ chapter:` 或改正它",
                    c.code()
                )),
                Err(_) => errors.push(format!(
                    "{shown}: `//@ chapter: {chapter}` 指向的文件不存在"
                )),
            }
        }
    }
    let mut shown_codes = Vec::new();
    for file in std::fs::read_dir(root.join(CASES_DIR))
        .into_iter()
        .flatten()
        .flatten()
    {
        let path = file.path();
        if path.extension().is_some_and(|x| x == "stderr")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            shown_codes.extend(
                text.lines()
                    .filter_map(|l| l.strip_prefix("error["))
                    .filter_map(|l| l.get(..5))
                    .map(str::to_string),
            );
        }
    }
    for chapter in chapters {
        let Ok(text) = std::fs::read_to_string(chapter) else {
            continue;
        };
        let name = rel(root, chapter);
        for (n, line) in text.lines().enumerate() {
            let mut codes = error_codes(line);
            codes.dedup();
            for code in codes {
                let backed = shown_codes.contains(&code)
                    || claims
                        .iter()
                        .any(|c| c.chapters.contains(&name) && c.code() == code);
                if !backed {
                    errors.push(format!(
                        "{name}:{}: 正文点名了 {code}，可没有哪个无法编译的示例（{CASES_DIR}/*.stderr）报这个错，\
                         也没有 {CLAIMS_DIR}/ 下的断言文件核对它。加一个断言文件（`//@ chapter: {name}`、\
                         `//@ expect: error[{code}]`），或者删掉这个错误码",
                        n + 1
                    ));
                }
            }
        }
    }
    errors
}
