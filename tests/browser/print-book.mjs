#!/usr/bin/env node
// 把打印版（print.html）变成离线版：用浏览器测试所用的同一个 Chromium 打印 PDF，
// 并为 EPUB 交出一份整理过的 HTML（再由 pandoc 打包，见 tests/xtask/offline.rs）。
//
//   node tests/browser/print-book.mjs <构建目录> <输出 PDF> <输出 EPUB 用的 HTML>
//
// 打印之前在页面里做两件事：
// 1. 按侧边栏的目录（mdBook 由 SUMMARY.md 生成）在每个部分的第一章前插入部分标题（<h1>），
//    部分里的章节标题降一级，节标题都降一级。Chromium 按标题层级生成 PDF 书签，
//    书签和 EPUB 的目录因此都是“部分 → 章”两级，与 SUMMARY.md 一致。
// 2. EPUB 的 HTML 去掉读者看不到的东西：隐藏的代码行、代码块上的按钮。
// 分页规则（代码块、插图、表格不跨页）在 theme/reader.css 的 @media print 里。

import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

const [bookDir, pdfPath, htmlPath] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!bookDir || !pdfPath || !htmlPath) {
  console.error("用法：node tests/browser/print-book.mjs <构建目录> <输出 PDF> <输出 HTML>");
  process.exit(2);
}

/** 在页面里运行：插入部分标题、调整标题层级。返回章节数与部分数，或一条错误。 */
function restructure() {
  const items = Array.from(document.querySelectorAll("#mdbook-sidebar ol.chapter > li"));
  const entries = []; // { part: 标题 } | { chapter: 标题, inPart: bool }
  let part = null;
  for (const li of items) {
    if (li.classList.contains("part-title")) {
      part = li.textContent.trim();
      entries.push({ part });
    } else if (li.classList.contains("spacer")) {
      part = null; // `---` 之后的章节（结语、术语表……）不属于任何部分
    } else {
      const a = li.querySelector(":scope > span.chapter-link-wrapper > a");
      if (a) entries.push({ chapter: a.textContent.trim(), inPart: part !== null });
    }
  }
  const main = document.querySelector("main");
  const chapterHeads = Array.from(main.querySelectorAll("h1"));
  const chapters = entries.filter((e) => e.chapter);
  if (chapters.length === 0 || chapters.length !== chapterHeads.length) {
    return {
      error: `目录里有 ${chapters.length} 章，打印版里有 ${chapterHeads.length} 个一级标题。每章应当恰好有一个一级标题（# 标题）。`,
    };
  }
  // 先给每个标题降级（从 h3 往上处理，免得一个标题被降两次）。
  const inPartHead = new Set();
  let c = 0;
  for (const e of entries) {
    if (e.chapter) {
      if (e.inPart) inPartHead.add(chapterHeads[c]);
      c++;
    }
  }
  const rename = (el, tag) => {
    const n = document.createElement(tag);
    for (const attr of Array.from(el.attributes)) n.setAttribute(attr.name, attr.value);
    while (el.firstChild) n.appendChild(el.firstChild);
    el.replaceWith(n);
    return n;
  };
  for (const level of [5, 4, 3, 2]) {
    for (const h of Array.from(main.querySelectorAll(`h${level}`))) rename(h, `h${level + 1}`);
  }
  const newHeads = chapterHeads.map((h) => {
    const n = inPartHead.has(h) ? rename(h, "h2") : h;
    n.classList.add("chapter-title");
    return n;
  });
  // 在每个部分的第一章之前插入部分标题。
  c = 0;
  let parts = 0;
  let pendingPart = null;
  for (const e of entries) {
    if (e.part) {
      pendingPart = e.part;
      continue;
    }
    const head = newHeads[c++];
    if (pendingPart) {
      const h = document.createElement("h1");
      h.className = "book-part";
      h.id = `part-${++parts}`;
      h.textContent = pendingPart;
      // 章节前的分页标记（mdBook 打印版在每章之前放一个）留在部分标题之后：部分标题独占一页。
      const before = head.previousElementSibling;
      const anchor = before && before.style.breakBefore === "page" ? before : head;
      anchor.before(h);
      pendingPart = null;
    }
  }
  return { chapters: chapters.length, parts };
}

/** 在页面里运行：EPUB 用的 HTML（去掉隐藏的代码行、按钮和脚本）。 */
function epubHtml() {
  const main = document.querySelector("main").cloneNode(true);
  for (const el of main.querySelectorAll(".boring, .buttons, script")) el.remove();
  // 公式：换成 TeX 原文（KaTeX 把它放在 <annotation> 里），由 tests/browser/epub-math.lua 交给 pandoc。
  for (const math of main.querySelectorAll("math")) {
    const span = document.createElement("span");
    span.className = "tex-math";
    span.dataset.tex = math.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? "";
    span.dataset.display = math.getAttribute("display") === "block" ? "block" : "inline";
    (math.closest(".katex") ?? math).replaceWith(span);
  }
  // 直接写在页面里的 SVG（第 21 章的图表）：pandoc 读 HTML 时把属性名变成小写（viewBox → viewbox），
  // SVG 因此失效；改成按原样序列化的图片交给它。
  for (const svg of main.querySelectorAll("svg")) {
    const img = document.createElement("img");
    const xml = new XMLSerializer().serializeToString(svg);
    img.src = "data:image/svg+xml;base64," + btoa(String.fromCharCode(...new TextEncoder().encode(xml)));
    img.alt = svg.getAttribute("aria-label") || "";
    svg.replaceWith(img);
  }
  // 指向网站里其他文件的相对链接（前言里的下载链接）在 EPUB 里没有目标：只留文字。
  for (const a of main.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (!href.startsWith("#") && !/^[a-z]+:/i.test(href)) a.replaceWith(...a.childNodes);
  }
  // highlight.js 加的 class 对 pandoc 没用；保留语言名，pandoc 据此高亮。
  for (const code of main.querySelectorAll("pre > code")) {
    const lang = Array.from(code.classList).find((k) => k.startsWith("language-"));
    code.className = lang ? lang.slice("language-".length) : "";
    code.parentElement.className = code.className; // pandoc 读 <pre> 上的 class
    code.textContent = code.textContent;
  }
  return main.innerHTML;
}

const server = await startServer({ dir: resolve(bookDir), prefix: "/" });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const context = await browser.newContext();
  // 打印版一打开就调用 window.print()；这里不需要打印对话框。
  await context.addInitScript(() => {
    window.print = () => {};
  });
  const page = await context.newPage();
  // 几百页的一页：机器忙时载入可能超过默认的 30 秒时限；120 秒防的是卡死。
  await page.goto(server.url + "print.html", { waitUntil: "load", timeout: 120_000 });
  await page.evaluate(() => document.fonts.ready);
  const info = await page.evaluate(restructure);
  if (info.error) throw new Error(`print.html：${info.error}`);
  const lang = await page.evaluate(() => document.documentElement.lang || "zh-CN");
  const title = await page.evaluate(() => document.querySelector(".menu-title")?.textContent.trim() ?? "");
  writeFileSync(
    htmlPath,
    `<!DOCTYPE html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body>\n` +
      (await page.evaluate(epubHtml)) +
      "\n</body></html>\n",
  );
  // 告诉 cargo xtask：pandoc 现在就可以开始打包 EPUB，不必等下面的 PDF（tests/xtask/offline.rs 的 HTML_READY）。
  console.log("EPUB 用的 HTML 已写好");
  await page.emulateMedia({ media: "print" });
  await page.pdf({
    path: pdfPath,
    format: "A4",
    margin: { top: "16mm", bottom: "18mm", left: "16mm", right: "16mm" },
    printBackground: true,
    outline: true,
    tagged: true,
    displayHeaderFooter: true,
    headerTemplate: "<span></span>",
    footerTemplate:
      '<div style="width:100%;text-align:center;font-size:9px;color:#555;">' +
      '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
  });
  console.log(`PDF：${info.chapters} 章，${info.parts} 个部分 → ${pdfPath}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
