#!/usr/bin/env node
// mdBook 预处理器（只用于 HTML 输出，见 book.toml 的 [preprocessor.reader]）。
//
// 它在构建时做两件事，读者的浏览器因此不需要下载任何脚本：
//
// 1. 把章节里的 `$$ … $$` 数学公式（KaTeX 语法）用 KaTeX 渲染成 MathML。
//    现代浏览器原生排版 MathML，不需要 KaTeX 的样式表和字体。
//    公式写错时构建失败，并指出章节和公式原文。
// 2. 在故意无法编译、故意 panic、只能在本地运行的 Rust 代码块前插入一行说明，
//    像 The Rust Programming Language 那样让读者一眼看出这段代码“不是坏了”。
//
// 协议：mdBook 以 `supports <renderer>` 询问是否支持某个输出，
// 之后把 `[context, book]` 以 JSON 写到标准输入，期望从标准输出读回处理后的 book。

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);

if (process.argv[2] === "supports") {
  process.exit(process.argv[3] === "html" ? 0 : 1);
}

let katex;
try {
  katex = require("katex");
} catch (e) {
  console.error(
    "mdbook-reader：找不到 KaTeX（tests/browser/node_modules）。请先运行 `cargo xtask tools`，" +
      "或在 tests/browser 下运行 `npm ci`。",
  );
  process.exit(1);
}

/** 代码块前的说明。文字不进入搜索索引（data-pagefind-ignore）。 */
const FLAGS = {
  compile_fail: {
    cls: "listing-flag-compile-fail",
    text: "这段代码故意无法编译：它展示的是编译器会拒绝的写法，报错见下文。",
  },
  should_panic: {
    cls: "listing-flag-panic",
    text: "这段代码运行时会故意 panic。",
  },
  local: {
    cls: "listing-flag-local",
    text: "这段程序用到 Rust Playground 没有的 crate 或环境，请按图注中的命令在本地运行。",
  },
};

function flagFor(info) {
  const words = info
    .trim()
    .split(/[\s,{}]+/)
    .filter(Boolean);
  if (words[0] !== "rust") return null;
  if (words.includes("compile_fail")) return FLAGS.compile_fail;
  if (words.includes("should_panic")) return FLAGS.should_panic;
  if (words.includes("noplayground") || words.includes("noplaypen") || words.includes("ignore"))
    return FLAGS.local;
  return null;
}

/** 用 KaTeX 把一段 TeX 渲染成 MathML；出错时给出章节名和公式原文。 */
function renderMath(tex, display, where) {
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      output: "mathml",
      throwOnError: true,
      strict: "error",
    });
  } catch (e) {
    throw new Error(`${where}: 公式无法渲染：${e.message}\n公式原文：$$${tex}$$`);
  }
}

/** 处理代码块之外的一段文字中的公式：`$$ … $$`（独立成段）与 `$ … $`（行内）。 */
function renderMathIn(text, where) {
  if (!text.includes("$")) return text;
  // 先把行内代码和已经渲染好的公式藏起来，免得其中的 `$` 被当成公式。
  const saved = [];
  const hide = (s) => {
    saved.push(s);
    return `\u0000${saved.length - 1}\u0000`;
  };
  let t = text.replace(/(`+)[\s\S]*?\1/g, hide);
  t = t.replace(/\$\$([\s\S]+?)\$\$/g, (m, tex, offset, all) => {
    const lineStart = all.lastIndexOf("\n", offset - 1) + 1;
    const lead = all.slice(lineStart, offset);
    const lineEnd = all.indexOf("\n", offset + m.length);
    const trail = all.slice(offset + m.length, lineEnd === -1 ? all.length : lineEnd);
    const html = renderMath(tex.trim(), true, where);
    if (/^[ \t>]*$/.test(lead) && /^[ \t]*$/.test(trail)) {
      // 独占几行的公式成为一个 HTML 块：前后空行，内部没有空行，Markdown 不会再动它。
      // （lead 可能含引用块的 `>`，照样保留。）
      return hide(`\n${lead}<div class="math-display">${html}</div>\n${lead}`);
    }
    return hide(`<span class="math-display">${escapeMarkdown(html)}</span>`);
  });
  // 行内公式：`$` 后紧跟非空白，结束的 `$` 前是非空白、后面不是数字（避免把“$5 和 $6”当成公式）。
  t = t.replace(/(?<![\\$\w])\$(?=\S)([^\n$]*?\S)\$(?![\d$])/g, (m, tex) =>
    hide(`<span class="math-inline">${escapeMarkdown(renderMath(tex, false, where))}</span>`),
  );
  if (/(?<!\\)\$\$/.test(t)) {
    throw new Error(`${where}: 有一个 \`$$\` 没有配对的结束 \`$$\``);
  }
  // 还原（可能嵌套：公式占位符里不会再有占位符，行内代码里也不会）。
  let prev;
  do {
    prev = t;
    t = t.replace(/\u0000(\d+)\u0000/g, (_, i) => saved[Number(i)]);
  } while (t !== prev);
  return t;
}

/** 夹在句子中间的 HTML 里，把 Markdown 会误解的字符换成字符引用。 */
function escapeMarkdown(html) {
  return html.replace(/[*_\\[\]`~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function processChapter(content, where) {
  const lines = content.split("\n");
  const out = [];
  let fence = null; // 当前代码块的开头围栏（``` 或 ~~~ 及其长度）
  let prose = [];
  const flushProse = () => {
    if (prose.length) out.push(renderMathIn(prose.join("\n"), where));
    prose = [];
  };
  for (const line of lines) {
    if (fence) {
      out.push(line);
      const close = line.match(/^\s*(`{3,}|~{3,})\s*$/);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) fence = null;
      continue;
    }
    const open = line.match(/^(\s*)(`{3,}|~{3,})(.*)$/);
    if (open && !(open[2][0] === "`" && open[3].includes("`"))) {
      flushProse();
      fence = open[2];
      const flag = flagFor(open[3]);
      if (flag) {
        const ind = open[1];
        out.push(
          `${ind}`,
          `${ind}<p class="listing-flag ${flag.cls}" data-pagefind-ignore>${flag.text}</p>`,
          `${ind}`,
        );
      }
      out.push(line);
      continue;
    }
    prose.push(line);
  }
  flushProse();
  return out.join("\n");
}

function walk(items, errors) {
  for (const item of items) {
    const ch = item && item.Chapter;
    if (!ch) continue;
    const where = ch.source_path ? `src/${ch.source_path}` : ch.name;
    try {
      ch.content = processChapter(ch.content, where);
    } catch (e) {
      errors.push(e.message);
    }
    walk(ch.sub_items || [], errors);
  }
}

const input = JSON.parse(readFileSync(0, "utf8"));
const book = input[1];
const errors = [];
walk(book.items || book.sections || [], errors);
if (errors.length) {
  console.error(`mdbook-reader：${errors.length} 个问题：\n${errors.join("\n")}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(book));
