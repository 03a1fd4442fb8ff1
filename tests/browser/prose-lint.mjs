#!/usr/bin/env node
// 中文排版检查：用 AutoCorrect（与《Rust 程序设计语言》中文版的 CI 相同的工具）检查 src/ 下的 Markdown。
// 检查中英文之间的空格、全角标点等；每处问题以 `文件:行:列` 报告，并给出建议的写法。
//
//   node tests/browser/prose-lint.mjs [目录或文件…]     只检查（默认 src）
//   node tests/browser/prose-lint.mjs --fix [目录或文件…] 按建议直接改写文件
//
// 代码块（``` 或 ~~~ 围起来的部分）不是正文：其中的字符对齐、英文标点都是有意的，
// 所以检查前把它们换成同样行数的空行，行号保持不变。

import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const require = createRequire(import.meta.url);
let autocorrect;
try {
  autocorrect = require("autocorrect-node");
} catch {
  console.error(
    "找不到 autocorrect-node：请先运行 `cargo xtask tools`（或在 tests/browser 下运行 `npm ci`）。",
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const fix = args.includes("--fix");
const targets = args.filter((a) => a !== "--fix");
if (targets.length === 0) targets.push("src");

function markdownFiles(path) {
  const info = statSync(path);
  if (info.isFile()) return path.endsWith(".md") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => markdownFiles(join(path, name)));
}

/** 把围栏代码块的内容换成空行（保留围栏行本身和行号）。 */
function blankCodeBlocks(text) {
  const lines = text.split("\n");
  let fence = null;
  return lines
    .map((line) => {
      const m = line.match(/^\s*(`{3,}|~{3,})/);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length && /^\s*[`~]+\s*$/.test(line)) {
          fence = null;
        }
        return m ? line : "";
      }
      if (m) fence = m[1];
      return line;
    })
    .join("\n");
}

const findings = [];
for (const file of targets.flatMap(markdownFiles)) {
  const text = readFileSync(file, "utf8");
  const result = autocorrect.lintFor(blankCodeBlocks(text), file);
  if (result.error) {
    findings.push(`${file}: AutoCorrect 无法处理这个文件：${result.error}`);
    continue;
  }
  if (fix && result.lines.length > 0) {
    // 只改写有问题的行，代码块内容不动。
    const lines = text.split("\n");
    for (const l of result.lines) {
      const oldLines = l.old.split("\n");
      const newLines = l.new.split("\n");
      for (let i = 0; i < oldLines.length; i++) {
        const at = l.l - 1 + i;
        if (lines[at] !== undefined && newLines[i] !== undefined) {
          lines[at] = lines[at].replace(oldLines[i].trimStart(), newLines[i].trimStart());
        }
      }
    }
    writeFileSync(file, lines.join("\n"));
    console.log(`已改写 ${relative(process.cwd(), file)}（${result.lines.length} 处）`);
    continue;
  }
  for (const l of result.lines) {
    findings.push(
      `${relative(process.cwd(), file)}:${l.l}:${l.c}: 中文排版\n    现在：${l.old.trim()}\n    建议：${l.new.trim()}`,
    );
  }
}

if (findings.length > 0) {
  console.log(findings.join("\n"));
  console.log(
    `\n中文排版检查发现 ${findings.length} 处问题。规则：中文与英文、数字之间加空格，中文句子用全角标点，` +
      `全角标点前后不加空格。可以逐处修改，或运行 \`node tests/browser/prose-lint.mjs --fix\` 按建议改写后再读一遍 diff。`,
  );
  process.exit(1);
}
if (!fix) console.log("中文排版检查：没有发现问题。");
