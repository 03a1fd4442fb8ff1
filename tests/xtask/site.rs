//! 占位：网站构建、搜索、浏览器测试（由负责 issue 4 的同事替换整个文件）。
use std::path::Path;
pub fn install_tools(_root: &Path) -> Result<(), String> {
    Ok(())
}
pub fn build_site(root: &Path, mdbook: &Path, out: &Path, _site_url: &str) -> Result<(), String> {
    let s = std::process::Command::new(mdbook)
        .current_dir(root)
        .arg("build")
        .arg("-d")
        .arg(out)
        .status()
        .map_err(|e| e.to_string())?;
    if s.success() {
        Ok(())
    } else {
        Err("mdbook build failed".into())
    }
}
pub fn serve(_root: &Path, _dir: &Path, _port: u16) -> Result<(), String> {
    Err("not yet".into())
}
pub fn browser_test(_root: &Path) -> Result<(), String> {
    Err("browser test not yet written".into())
}
pub fn prose_lint(_root: &Path) -> Result<(), String> {
    Err("prose lint not yet written".into())
}
