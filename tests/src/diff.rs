//! 逐行比较两段文本，输出统一格式的差异（`-` 是书中的，`+` 是这次运行得到的）。

/// 两段文本不同时返回差异。
pub fn diff(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // 最长公共子序列；输出只有几十行，O(n·m) 足够。
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::from("--- 书中的输出\n+++ 这次运行的输出\n");
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!(" {}\n", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", a[i]));
            i += 1;
        }
    }
    if a == b {
        // 行相同而文本不同：只可能是末尾换行或 \r。
        out.push_str("（逐行相同，差别在行尾或文件末尾的换行）\n");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(diff("a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn changed_line_is_marked() {
        let d = diff("a\nb\nc\n", "a\nx\nc\n").unwrap();
        assert!(d.contains("-b\n"), "{d}");
        assert!(d.contains("+x\n"), "{d}");
        assert!(d.contains(" a\n"), "{d}");
    }

    #[test]
    fn trailing_newline_difference_is_reported() {
        let d = diff("a\n", "a").unwrap();
        assert!(d.contains("换行"), "{d}");
    }
}
