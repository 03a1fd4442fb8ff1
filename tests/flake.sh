#!/usr/bin/env bash
# 连续运行整个 cargo test N 次（默认 20），再在只用一个核（taskset -c 0）时运行 N 次。
# 每次都作为后台作业运行（与 CI 相同）。任何一次失败都会停下并打印失败的输出。用法：bash tests/flake.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked --no-run -q >/dev/null 2>&1
for mode in normal one-core; do
  for i in $(seq 1 "$n"); do
    if [ "$mode" = one-core ]; then cmd=(taskset -c 0 cargo test --workspace --locked -q); else cmd=(cargo test --workspace --locked -q); fi
    # 作为后台作业运行，与 CI（.ci/run）相同：后台作业继承“忽略 SIGINT”，测试不能受它影响。
    "${cmd[@]}" >"$log" 2>&1 &
    if ! wait $!; then
      echo "第 $i 次（$mode）失败："; tail -60 "$log"; exit 1
    fi
  done
  echo "$mode：连续 $n 次通过"
done
