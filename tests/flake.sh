#!/usr/bin/env bash
# 连续运行整个 cargo test N 次（默认 20），再在只用一个核（taskset -c 0）时运行 N 次。
# 任何一次失败都会停下并打印失败的输出。用法：bash tests/flake.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
cargo test --workspace --locked --no-run -q >/dev/null 2>&1
for mode in normal one-core; do
  for i in $(seq 1 "$n"); do
    if [ "$mode" = one-core ]; then cmd=(taskset -c 0 cargo test --workspace --locked -q); else cmd=(cargo test --workspace --locked -q); fi
    if ! out=$("${cmd[@]}" 2>&1); then
      echo "第 $i 次（$mode）失败："; echo "$out" | tail -60; exit 1
    fi
  done
  echo "$mode：连续 $n 次通过"
done
