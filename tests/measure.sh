#!/usr/bin/env bash
# 测量 tests/DESIGN.md 中记录的四个耗时（中位数，各 3 次）：
#   1. 运行全部示例（不含编译）
#   2. 修改一个示例后 `cargo test --workspace`
#   3. 修改一个示例后 README 的整条测试命令 `cargo xtask test`
#   4. 新克隆的仓库第一次 `cargo test --workspace`（编译全部依赖；crates.io 的下载已缓存）
# 用法：bash tests/measure.sh [--skip-fresh]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# 第一个不是基准测试的示例（不用 `ls | head`：pipefail 下 head 提前关闭管道会让整个脚本以 141 失败）。
listing=
for f in listings/examples/*.rs; do
  case "$f" in *-bench-*) ;; *) listing=$f; break ;; esac
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# 计时一条命令；命令失败时整个脚本失败（失败的运行不算数）。
secs() {
  local s e log; log=$(mktemp); s=$(date +%s.%N)
  if ! "$@" >"$log" 2>&1; then echo "测量中的命令失败：$*" >&2; tail -40 "$log" >&2; exit 1; fi
  e=$(date +%s.%N); rm -f "$log"; awk -v s="$s" -v e="$e" "BEGIN{printf \"%.1f\\n\", e-s}"
}
edit_listing() { printf '\n// measure %s\n' "$RANDOM" >> "$listing"; }
restore_listing() { git checkout -- "$listing"; }
trap restore_listing EXIT

cargo test --workspace --locked --no-run -q >/dev/null 2>&1
# 1. 示例已编译，只计运行：测试程序自己报告的用时。只运行示例（名字里没有 `::`；其余的测试都叫 `组::函数`）。
run_all=$(for _ in 1 2 3; do
  cargo test -q --locked -p book-tests --test book -- --skip :: 2>&1 | sed -n 's/.*finished in \([0-9.]*\)s.*/\1/p' | tail -1
done | median)

# 2. 修改一个示例后的 cargo test。
after_edit=$(for _ in 1 2 3; do edit_listing; secs cargo test --workspace --locked; restore_listing; done | median)

# 3. 修改一个示例后的整条测试命令。
whole=$(for _ in 1 2 3; do edit_listing; secs cargo xtask test; restore_listing; done | median)

fresh="（未测）"
if [ "${1:-}" != "--skip-fresh" ]; then
  tmp=$(mktemp -d)
  git clone -q "$root" "$tmp/book"
  fresh=$(cd "$tmp/book" && secs cargo test --workspace --locked)
  rm -rf "$tmp"
fi

cat <<REPORT
机器：$(nproc) 核，$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)；$(rustc --version)
运行全部示例（不含编译）：${run_all} s
修改一个示例后 cargo test --workspace：${after_edit} s
修改一个示例后 cargo xtask test：${whole} s
新克隆后第一次 cargo test --workspace：${fresh} s
REPORT
