// 浏览器测试：在无头 Chromium（Debian 的 /usr/bin/chromium）里打开构建好的书，像读者一样使用它。
//
//   BOOK_DIR=<构建目录> BOOK_PREFIX=/rust-async-book/ node --test book.test.mjs
//
// 通常由 `cargo xtask test`（经由 tests/xtask/site.rs 的 browser_test）运行：它先把书构建到临时目录，
// 再以子路径 /rust-async-book/ 提供，模拟 GitHub Pages 之类的静态托管。
// 截图保存在 SCREENSHOT_DIR（默认 tests/browser/screenshots/），供人查看。

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

const BOOK_DIR = process.env.BOOK_DIR;
const PREFIX = process.env.BOOK_PREFIX || "/";
const SHOTS = resolve(process.env.SCREENSHOT_DIR || "screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const BOOK_SRC = resolve(process.env.BOOK_SRC || "../../src");

if (!BOOK_DIR || !existsSync(join(BOOK_DIR, "index.html"))) {
  throw new Error(
    "BOOK_DIR 没有指向构建好的书。请用 `cargo xtask test` 运行，" +
      "或先 `cargo xtask build`，再在 tests/browser 下运行 `BOOK_DIR=../../book node --test book.test.mjs`。",
  );
}
if (!existsSync(CHROMIUM)) {
  throw new Error(`找不到 ${CHROMIUM}：请运行 \`cargo xtask tools\` 安装 Debian 的 chromium。`);
}

/** 每个搜索词应当找到的章节：这个词是该章的主题。 */
const QUERIES = [
  ["异步", "ch01-async-basics.html"],
  ["FetchData", "ch02-future-state-machine.html"],
  ["唤醒", "ch02-future-state-machine.html"],
  ["Waker", "ch02-future-state-machine.html"],
  ["背压", "ch03-concurrency-models.html"],
  ["通道", "ch03-concurrency-models.html"],
  ["select!", "ch03-concurrency-models.html"],
  ["Tokio", "ch09-tokio.html"],
  ["取消", "ch08-cancellation.html"],
  ["JoinSet", "ch09-tokio.html"],
  ["LIFO 槽", "ch09-tokio.html"],
  ["内存池", "ch21-memory-optimization.html"],
  ["Pin", "ch05-pin.html"],
  ["固定", "ch05-pin.html"],
  ["自引用", "ch05-pin.html"],
  ["AsyncFnMut", "ch06-async-fn-limits.html"],
  ["async-trait", "ch06-async-fn-limits.html"],
  ["Stream", "ch07-streams.html"],
  ["流", "ch07-streams.html"],
  ["FuturesUnordered", "ch07-streams.html"],
  ["取消安全", "ch08-cancellation.html"],
  ["结构化并发", "ch08-cancellation.html"],
  ["TaskTracker", "ch08-cancellation.html"],
  ["GoF", "ch13-creational-patterns.html"],
  ["时间轮", "ch11-build-a-runtime.html"],
  ["协作预算", "ch11-build-a-runtime.html"],
  ["状态机", "ch02-future-state-machine.html"],
  ["类型状态", "ch13-creational-patterns.html"],
  ["io_uring", "ch12-runtime-landscape.html"],
  ["embassy", "ch12-runtime-landscape.html"],
  ["互斥锁", "ch14-shared-state.html"],
  ["限流", "ch15-flow-control.html"],
  ["令牌桶", "ch15-flow-control.html"],
  ["优雅退出", "ch16-lifecycle.html"],
  ["turmoil", "ch17-testing.html"],
  ["可观测性", "ch18-observability.html"],
  ["redis-cli", "ch19-mini-redis.html"],
  ["axum", "ch20-http-service.html"],
];
/** 搜索结果的前几条里要有目标章节。 */
const TOP_N = 3;
/** 画成插图的示意图所在的章节。 */
const DIAGRAM_CHAPTERS = readdirSync(BOOK_SRC)
  .filter((f) => f.endsWith(".md") && readFileSync(join(BOOK_SRC, f), "utf8").includes('<figure class="diagram"'))
  .map((f) => f.replace(/\.md$/, ".html"))
  .filter((f) => existsSync(join(BOOK_DIR, f))) // 只看目录里列出、真的构建出来的章节
  .sort();
/** 不进入搜索索引的页面。 */
const NOT_INDEXED = ["print.html", "404.html", "toc.html"];
/** Rust Playground 上没有的 crate：用到它们的示例不应有运行按钮（要标 noplayground）。 */
const NOT_ON_PLAYGROUND =
  /\b(smol|async_io|async_channel|async_executor|async_net|async_fs|async_task|async_lock|futures_lite|blocking|actix|actix_rt|pin_project_lite|async_trait|trait_variant|tokio_stream|async_stream|mio|compio|embassy_executor|embassy_time|embassy_sync|static_cell|critical_section|async_compat|tower|anyhow|thiserror|tracing|tracing_subscriber|console_subscriber|tokio_test|turmoil|loom|bytes|axum|sqlx|hyper|hyper_util|http_body_util)::|#\[(smol|actix|actix_rt)::main\]|^\s*#\[path\b/m;
/** 图注里的命令：`cargo …`，前面可以先设环境变量（第 17 章的 loom 示例：`RUSTFLAGS="--cfg loom" cargo test …`）。 */
const CARGO_COMMAND = /^([A-Z_]+=("[^"]*"|\S+) )*cargo /;
/** 在本地运行一个示例的命令：程序用 cargo run，一组测试用 cargo test。 */
const LOCAL_RUN = /^([A-Z_]+=("[^"]*"|\S+) )*cargo (run|test)\b/;
/** 不会自己结束的服务器程序：在 Playground 上只会超时。 */
const SERVER_CODE = /TcpListener::bind|UdpSocket::bind/;
/** WCAG AA 对正文的最低对比度。 */
const MIN_CONTRAST = 4.5;

const CHAPTERS = readdirSync(BOOK_DIR)
  .filter((f) => f.endsWith(".html") && !NOT_INDEXED.includes(f))
  .sort();

let server;
let browser;
let origin;
const external = []; // 离开提供本书的主机（或子路径）的请求
const consoleErrors = []; // 控制台错误与页面异常
const failed = []; // 失败的请求
const titles = new Map(); // 章节文件 → h1

before(async () => {
  server = await startServer({ dir: BOOK_DIR, prefix: PREFIX });
  origin = new URL(server.url).origin;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
  // 出错由等它的测试报告；这里只免得它在测试等到它之前算作没人处理的 rejection。
  for (const job of early) job().catch(() => {});
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** 新的浏览器上下文：记录请求、控制台错误和失败的请求。 */
async function newContext({ theme = null, allowStatus404 = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((t) => {
    // 打印版一打开就调用 window.print()；测试里不需要打印对话框。
    window.print = () => {};
    try {
      if (t) localStorage.setItem("mdbook-theme", t);
    } catch {
      // about:blank 没有 localStorage。
    }
  }, theme);
  context.on("request", (req) => {
    const url = req.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (!url.startsWith(server.url)) external.push(url);
  });
  context.on("requestfailed", (req) => {
    const why = req.failure()?.errorText ?? "";
    // 翻页时浏览器会中止还没加载完的请求（例如图标），这不是书的问题；缺文件会以 HTTP 404 出现。
    if (why === "net::ERR_ABORTED") return;
    failed.push(`${req.url()}：${why}`);
  });
  context.on("response", (res) => {
    if (res.status() >= 400 && !(allowStatus404 && res.status() === 404)) {
      failed.push(`${res.url()}：HTTP ${res.status()}`);
    }
  });
  context.on("page", (page) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      // 故意打开不存在的页面时，浏览器会报告那一次 404。
      if (allowStatus404 && /status of 404/.test(msg.text()) && msg.location().url === page.url()) return;
      consoleErrors.push(`${page.url()}：${msg.text()}`);
    });
    page.on("pageerror", (err) => consoleErrors.push(`${page.url()}：${err.message}`));
  });
  return context;
}

function rel(url) {
  return new URL(url).pathname.slice(PREFIX.length);
}

// ---------------------------------------------------------------------------

/** 只做一次的工作：第一次调用时开始，之后的调用拿到同一个 Promise。 */
function once(fn) {
  let promise;
  return () => (promise ??= fn());
}

/**
 * 在 before 里就同时开始的工作。打开页面的几项检查互不相干，又大半时间在等浏览器，
 * 一项接一项地做，2 核的机器有一半时间闲着。测试仍按写的顺序逐个等结果、报告。
 */
const early = [];

/** 与 test(name, fn) 一样，只是 fn 在 before 里就开始。 */
function earlyTest(name, fn) {
  const job = once(fn);
  early.push(job);
  test(name, () => job());
}

/**
 * 在页面里运行：等 book.js 处理完运行按钮。它给每个 Playground 代码块加上按钮，拿到 crate 名单后再决定显示哪些
 * （显示的去掉 hidden 属性，不显示的加上 hidden 类）。最多等 5 秒；等不到也往下走，由后面的检查报告哪里没有按钮。
 * 在页面里轮询，不用 page.waitForFunction：那要先往每个新页面里注入 Playwright 的脚本，每页多花几十毫秒。
 */
function playButtonsSettled() {
  const settled = () =>
    Array.from(document.querySelectorAll("pre.playground")).every((pre) => {
      const b = pre.querySelector(".play-button");
      return b && (!b.hidden || b.classList.contains("hidden"));
    });
  const start = performance.now();
  return new Promise(function poll(resolve) {
    if (settled() || performance.now() - start > 5000) resolve();
    else setTimeout(() => poll(resolve), 10);
  });
}

/**
 * 每个章节页只打开一次，把几个测试各自要核对的东西一起收集起来（文件 → 页面信息）。
 * 打开一页要几百毫秒，四个测试各开一遍就是四倍的时间；各测试仍然分开核对、分开报告。
 */
const chapterPages = once(async () => {
  const context = await newContext();
  const page = await context.newPage();
  const pages = new Map();
  for (const file of [...new Set([...CHAPTERS, ...DIAGRAM_CHAPTERS])]) { // 有插图的章节按源文件找，一般都在 CHAPTERS 里
    // 等 load：图片和字体都加载完，才能看出哪张图没有出来。
    const res = await page.goto(server.url + file);
    await page.evaluate(playButtonsSettled);
    const info = await page.evaluate(() => {
      const main = document.querySelector("main");
      // 代码之外的正文里不应再有未渲染的 TeX。
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      const rawTex = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest("pre, code, math")) continue;
        if (/\$\$|\\frac|\\text\{|\\langle/.test(n.textContent)) rawTex.push(n.textContent.trim().slice(0, 60));
      }
      const brokenImages = Array.from(main.querySelectorAll("img"))
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.getAttribute("src"));
      // 图注与 Rust 代码块。
      const captions = Array.from(document.querySelectorAll("main p.caption")).map((c) => {
        const box = c.getBoundingClientRect();
        return {
          text: c.textContent.trim(),
          codes: Array.from(c.querySelectorAll("code")).map((x) => x.textContent.trim()),
          visible: box.width > 0 && box.height > 0,
          afterCode: !!c.previousElementSibling?.matches("pre"),
        };
      });
      const blocks = Array.from(document.querySelectorAll("main pre > code.language-rust")).map((code) => {
        const pre = code.parentElement;
        const button = pre.querySelector(".play-button");
        return {
          classes: Array.from(code.classList),
          text: code.textContent,
          // 运行按钮存在且没有被隐藏（按钮区平时透明，鼠标移上去才显示，这里不看透明度）。
          button:
            !!button &&
            !button.hidden &&
            !button.classList.contains("hidden") &&
            getComputedStyle(button).display !== "none",
          flag: pre.previousElementSibling?.matches("p.listing-flag")
            ? pre.previousElementSibling.className.replace("listing-flag", "").trim()
            : null,
        };
      });
      const figures = Array.from(document.querySelectorAll("main figure.diagram img")).map((img) => ({
        src: img.getAttribute("src"),
        alt: img.getAttribute("alt") || "",
        ok: img.complete && img.naturalWidth > 0,
        width: img.getBoundingClientRect().width,
        caption: img.closest("figure").querySelector("figcaption")?.textContent ?? "",
      }));
      const math = Array.from(document.querySelectorAll("main .math-display math")).map((m) => ({
        fractions: m.querySelectorAll("mfrac").length,
        height: m.getBoundingClientRect().height,
      }));
      return {
        h1: main.querySelector("h1")?.textContent.trim() ?? "",
        rawTex,
        brokenImages,
        cjkFont: document.fonts.check('16px "Noto Sans CJK SC"', "异步"),
        lang: document.documentElement.lang,
        captions,
        blocks,
        figures,
        math,
      };
    });
    const status = res?.status();
    if (status === 200) titles.set(file, info.h1);
    pages.set(file, { status, ...info });
  }
  await context.close();
  return pages;
});
early.push(chapterPages);

test("每个章节页都能打开：标题、中文字体、插图、公式都在", async () => {
  const pages = await chapterPages();
  const problems = [];
  for (const file of CHAPTERS) {
    const info = pages.get(file);
    if (info.status !== 200) {
      problems.push(`${file}：HTTP ${info.status}`);
      continue;
    }
    if (!info.h1) problems.push(`${file}：没有一级标题`);
    if (info.lang !== "zh-CN") problems.push(`${file}：<html lang> 是 ${info.lang}，应为 zh-CN`);
    if (!info.cjkFont)
      problems.push(`${file}：浏览器里没有 Noto Sans CJK 字体，截图中的汉字会是方框（apt-get install fonts-noto-cjk）`);
    for (const t of info.rawTex) problems.push(`${file}：正文里有未渲染的公式：${t}`);
    for (const s of info.brokenImages) problems.push(`${file}：图片没有加载出来：${s}`);
  }
  assert.deepEqual(problems, []);
});

// 像读者一样：打开首页，按 S 打开搜索框。之后的词都在这一页上搜，Pagefind 的 wasm 和索引每页只加载一次。
async function openSearch(page) {
  await page.goto(server.url + "index.html");
  await page.keyboard.press("s");
  await page.locator("#mdbook-searchbar").waitFor({ state: "visible" });
}

// 结果里显示的标题就是那一章的标题。
function checkShownTitle(chapter, shownTitle, h1) {
  assert.ok(h1?.length > 0, `${chapter} 没有标题`);
  assert.equal(shownTitle, h1, "搜索结果显示的标题应当是章节标题");
}

// 在打开了搜索框的页面上搜索一个词：清空搜索框，等上一个词的结果消失，再输入。返回结果里显示的章节标题。
// click 为真时点开排在前面的那一章，确认到了那一章；其余的词由测试拿章节页的标题核对。
async function searchOnce(page, query, chapter, { click = false } = {}) {
  // 下面的等待都每 20 毫秒查一次：locator.waitFor 越等查得越稀（最后每 0.5 秒一次），每个词白等几百毫秒；
  // waitForFunction 默认按帧查，同时开着几页时又慢得多。
  const every20ms = { polling: 20 };
  await page.locator("#mdbook-searchbar").press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.waitForFunction(
    () =>
      document.querySelector("#mdbook-searchresults-header").textContent === "" &&
      document.querySelectorAll("#mdbook-searchresults li").length === 0,
    null,
    every20ms,
  );
  await page.keyboard.type(query, { delay: 20 });
  const header = page.locator("#mdbook-searchresults-header");
  // 等结果标题显示出这个词（与 locator.filter({ hasText }) 一样，要看得见）。
  await page.waitForFunction(
    (q) => {
      const h = document.querySelector("#mdbook-searchresults-header");
      return !!h && h.checkVisibility() && h.textContent.includes(q);
    },
    query,
    { ...every20ms, timeout: 15000 },
  );
  // Pagefind 先给出结果数，再逐条取回、排好序；等结果列表连续两次读到的都一样再看前几条。
  const readHrefs = () => page.$$eval("#mdbook-searchresults li a", (as) => as.map((a) => a.href));
  let hrefs = await readHrefs();
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(250);
    const again = await readHrefs();
    if (again.length > 0 && JSON.stringify(again) === JSON.stringify(hrefs)) break;
    hrefs = again;
  }
  assert.ok(hrefs.length > 0, `搜索“${query}”没有结果（${await header.textContent()}）`);
  for (const h of hrefs) {
    assert.ok(h.startsWith(server.url), `搜索结果的链接 ${h} 不在本书的路径 ${PREFIX} 下`);
    assert.ok(!NOT_INDEXED.includes(rel(h).split("#")[0]), `搜索结果里出现了不该索引的页面：${h}`);
  }
  const top = hrefs.slice(0, TOP_N).map((h) => rel(h).split("#")[0]);
  const index = top.indexOf(chapter);
  assert.ok(
    index >= 0,
    `搜索“${query}”的前 ${TOP_N} 条结果是 ${JSON.stringify(top)}，其中没有 ${chapter}。` +
      `如果该章还没有写到“${query}”，请补上；不要改测试。`,
  );
  const link = page.locator("#mdbook-searchresults li a").nth(index);
  const shownTitle = await link.evaluate((a) => a.firstChild.textContent.trim());
  if (click) {
    // 点进去，确实到了那一章。
    await link.click();
    await page.waitForURL((u) => rel(u.href) === chapter);
    checkShownTitle(chapter, shownTitle, (await page.locator("main h1").first().textContent()).trim());
  }
  return shownTitle;
}

/** 同时进行的搜索页数：2 核的机器上同时开太多页，Chromium 会慢到超时；量过，2 页明显更慢，3 页与 4 页差不多。 */
const SEARCH_PARALLEL = 4;

// 各个查询互不相干：在同一个浏览器上下文里开 SEARCH_PARALLEL 页，每页依次搜几个词；返回每个词的结果。
// 最后一个词点开结果，确认链接真的通到那一章。
const searchAll = once(async () => {
  const context = await newContext();
  const results = new Array(QUERIES.length);
  let next = 0;
  async function worker() {
    let page = null;
    while (next < QUERIES.length) {
      const i = next++;
      const [q, c] = QUERIES[i];
      try {
        if (!page) {
          page = await context.newPage();
          await openSearch(page);
        }
        // 最后一个词点开结果。点开后这一页就离开了搜索，放在最后，不必为后面的词再开一页。
        const click = i === QUERIES.length - 1;
        results[i] = { status: "fulfilled", shownTitle: await searchOnce(page, q, c, { click }) };
        if (click) {
          await page.close();
          page = null;
        }
      } catch (reason) {
        results[i] = { status: "rejected", reason };
        // 出错的页面停在哪一步都有可能：下一个词换一页从头开始，免得牵连别的词。
        await page?.close().catch(() => {});
        page = null;
      }
    }
    await page?.close();
  }
  await Promise.all(Array.from({ length: SEARCH_PARALLEL }, worker));
  await context.close();
  return results;
});
early.push(searchAll);

test("中文搜索：每个词都找到对应的章节", async () => {
  const results = await searchAll();
  await chapterPages(); // 章节标题（titles）来自打开章节页的那一遍
  results.forEach((r, i) => {
    if (r.status !== "fulfilled") return;
    try {
      checkShownTitle(QUERIES[i][1], r.shownTitle, titles.get(QUERIES[i][1]));
    } catch (reason) {
      results[i] = { status: "rejected", reason };
    }
  });
  const failures = results
    .map((r, i) => (r.status === "rejected" ? `搜索“${QUERIES[i][0]}”：${r.reason?.message ?? r.reason}` : null))
    .filter(Boolean);
  assert.deepEqual(failures, [], failures.join("\n"));
  console.log(`  ${QUERIES.length} 个查询都在前 ${TOP_N} 条结果中找到了对应的章节：${QUERIES.map(([q]) => q).join("、")}`);
});

/**
 * 章节源文件中的 ```rust 代码块（按出现顺序）：信息字符串里的属性与引入的示例文件（`listings/…`）。
 * 一个示例可以分几段展示（几个锚点），图注只写一次，所以图注按文件核对。
 */
function rustBlocksInSource(htmlFile) {
  const name = htmlFile === "index.html" ? "README.md" : htmlFile.replace(/\.html$/, ".md");
  const path = join(BOOK_SRC, name);
  if (!existsSync(path)) return null;
  const blocks = [];
  let fence = null;
  let current = null;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = line.match(/^\s*(`{3,}|~{3,})\s*([^`]*)$/);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && m[2].trim() === "") {
        fence = null;
        if (current) blocks.push(current);
        current = null;
      } else if (current) {
        const inc = line.match(/\{\{#(?:rustdoc_include|include)\s+([^}:\s]+)/);
        if (inc && !current.file) current.file = inc[1].replace(/^(\.\.\/)+/, "");
      }
      continue;
    }
    if (m) {
      fence = m[1];
      const attrs = m[2].trim().split(/[\s,]+/).filter(Boolean);
      current = attrs[0] === "rust" ? { attrs, file: null } : null;
    }
  }
  return blocks;
}

test("示例：每个示例都有图注（编号、listings/ 下的路径、运行命令），代码不为空", async () => {
  const pages = await chapterPages();
  const problems = [];
  let listings = 0;
  for (const file of CHAPTERS) {
    const source = rustBlocksInSource(file);
    const { captions, blocks } = pages.get(file);
    if (source && source.length !== blocks.length) {
      problems.push(`${file}：源文件有 ${source.length} 个 Rust 代码块，页面上却有 ${blocks.length} 个`);
      continue;
    }
    blocks.forEach((b, i) => {
      const where = `${file}（第 ${i + 1} 个 Rust 代码块${source?.[i]?.file ? "，" + source[i].file : ""}）`;
      if (b.text.trim().length === 0) problems.push(`${where}：代码块是空的`);
      if (b.classes.includes("compile_fail") && b.flag !== "listing-flag-compile-fail")
        problems.push(`${where}：无法编译的示例前面没有“无法编译”的说明`);
    });
    const files = [...new Set((source || []).map((b) => b.file).filter(Boolean))];
    listings += files.length;
    for (const f of files) {
      // 分几段展示的示例可以有几条图注（“示例 21-1（一）”“（二）”），其中至少一条给出运行命令。
      const caps = captions.filter((c) => c.codes.includes(f));
      const where = `${file}（${f}）`;
      if (caps.length === 0) {
        problems.push(`${where}：这个示例没有图注（<p class="caption">…<code>${f}</code>…</p>）`);
        continue;
      }
      const compileFail = (source || []).some((b) => b.file === f && b.attrs.includes("compile_fail"));
      for (const caption of caps) {
        const at = `${where}「${caption.text.slice(0, 16)}」`;
        if (!caption.visible) problems.push(`${at}：图注不可见`);
        if (!caption.afterCode) problems.push(`${at}：图注应紧跟在代码块之后`);
        if (!/^示例 \d+-\d+/.test(caption.text)) problems.push(`${at}：图注没有以“示例 N-M”编号开头`);
      }
      if (!caps.some((c) => c.codes.some((x) => CARGO_COMMAND.test(x))))
        problems.push(`${where}：图注里没有运行它的命令（<code>cargo …</code>）`);
      if (compileFail && !caps.some((c) => /无法编译/.test(c.text)))
        problems.push(`${where}：无法编译的示例，图注要写明“无法编译”`);
    }
  }
  assert.ok(listings > 0, "整本书里没有一个 Rust 示例");
  assert.deepEqual(problems, []);
});

test("运行按钮只出现在 Playground 能运行的示例上（edition 2024），其余的说明在本地运行", async () => {
  // 打开章节页的那一遍等 book.js 处理完运行按钮之后才收集（playButtonsSettled）。
  const pages = await chapterPages();
  const problems = [];
  let runnable = 0;
  for (const file of CHAPTERS) {
    const source = rustBlocksInSource(file) || [];
    const { captions, blocks } = pages.get(file);
    blocks.forEach((b, i) => {
      const f = source[i]?.file;
      const where = `${file}（第 ${i + 1} 个 Rust 代码块${f ? "，" + f : ""}）`;
      const caps = captions.filter((c) => f && c.codes.includes(f));
      const compileFail = b.classes.includes("compile_fail");
      const noPlay = b.classes.some((c) => ["noplayground", "noplaypen", "ignore"].includes(c));
      const crate = b.text.match(NOT_ON_PLAYGROUND);
      const serverCode = SERVER_CODE.test(b.text);
      if (b.button) {
        runnable += 1;
        if (compileFail) problems.push(`${where}：无法编译的示例不该有运行按钮`);
        if (crate) problems.push(`${where}：用到 Playground 没有的 crate（${crate[0]}），代码块要标 noplayground`);
        if (serverCode) problems.push(`${where}：服务器程序在 Playground 上不会结束，代码块要标 noplayground`);
        if (!b.classes.includes("edition2024"))
          problems.push(`${where}：运行按钮没有使用 edition 2024（${b.classes.join(" ")}）`);
      } else if (!compileFail) {
        if (!noPlay) problems.push(`${where}：没有运行按钮，却也没有标 noplayground`);
        if (b.flag !== "listing-flag-local") problems.push(`${where}：不能在 Playground 上运行，但没有“本地运行”的说明`);
        if (caps.length > 0 && !caps.some((cap) => cap.codes.some((c) => LOCAL_RUN.test(c))))
          problems.push(`${where}：图注里没有在本地运行的命令（cargo run …，测试示例是 cargo test …）`);
      }
    });
  }
  assert.deepEqual(problems, []);
  assert.ok(runnable > 0, "没有一个示例有运行按钮");
});

earlyTest("按下运行按钮时才联系 Rust Playground，发送 edition 2024 的完整程序", async () => {
  const context = await newContext();
  const sent = [];
  // 测试环境不能上网：拦下发往 Playground 的请求，假装它回答了。
  await context.route("https://play.rust-lang.org/**", async (route) => {
    sent.push({ url: route.request().url(), body: route.request().postDataJSON() });
    await route.fulfill({
      status: 200,
      contentType: "application/json",
      headers: { "Access-Control-Allow-Origin": "*" },
      body: JSON.stringify({ result: "来自 Playground 的输出\n", error: null }),
    });
  });
  const page = await context.newPage();
  let clicked = false;
  for (const file of CHAPTERS) {
    await page.goto(server.url + file);
    await page.evaluate(playButtonsSettled);
    // 运行按钮在鼠标移到代码块上时才显示。
    const pre = page.locator("pre.playground:not(:has(code.compile_fail)):has(.play-button:not(.hidden))").first();
    if ((await pre.count()) === 0) continue;
    await pre.hover();
    const button = pre.locator(".play-button");
    assert.equal(sent.length, 0, `还没按运行按钮，页面就联系了 Playground：${sent.map((s) => s.url)}`);
    await button.click();
    await page.locator("pre.playground code.result").first().filter({ hasText: "来自 Playground 的输出" }).waitFor();
    clicked = true;
    break;
  }
  // 这个上下文里发往 Playground 的请求是读者按按钮引起的，不算“离开本站”。
  for (let i = external.length - 1; i >= 0; i--) {
    if (external[i].startsWith("https://play.rust-lang.org/evaluate.json")) external.splice(i, 1);
  }
  await context.close();
  assert.ok(clicked, "没有找到可以按的运行按钮");
  assert.equal(sent.length, 1);
  assert.match(sent[0].url, /evaluate\.json$/);
  assert.equal(sent[0].body.edition, "2024");
  assert.match(sent[0].body.code, /fn main/);
});

test("第 4 章的语义规则排成数学公式", async () => {
  const math = (await chapterPages()).get("ch04-formal-semantics.html")?.math ?? [];
  assert.ok(math.length > 0, "第 4 章没有排成公式的语义规则（章节里用 $$ … $$ 写公式）");
  assert.ok(math.some((m) => m.fractions > 0), "规则应当写成分式：横线上方是前提，下方是结论");
  assert.ok(math.every((m) => m.height > 10), "有公式没有显示出来（高度为 0）");
});

test("章节里的示意图都是插图（SVG），不是字符画", async () => {
  assert.ok(DIAGRAM_CHAPTERS.length >= 3, `只找到 ${DIAGRAM_CHAPTERS.length} 章有插图：BOOK_SRC（${BOOK_SRC}）指对了吗？`);
  const pages = await chapterPages();
  const problems = [];
  for (const file of DIAGRAM_CHAPTERS) {
    const figs = pages.get(file).figures;
    if (figs.length === 0) problems.push(`${file}：没有 <figure class="diagram"> 插图`);
    for (const f of figs) {
      if (!f.src.endsWith(".svg")) problems.push(`${file}：插图 ${f.src} 不是 SVG`);
      if (!f.ok) problems.push(`${file}：插图 ${f.src} 没有加载出来`);
      if (!f.alt) problems.push(`${file}：插图 ${f.src} 没有 alt 文字`);
      if (!/^图 \d+-\d+/.test(f.caption.trim())) problems.push(`${file}：插图 ${f.src} 的图注应以“图 N-M”开头`);
      if (f.width < 300) problems.push(`${file}：插图 ${f.src} 太小（${f.width}px 宽）`);
    }
  }
  assert.deepEqual(problems, []);
});

/** 计算元素文字与其实际背景的对比度（WCAG 公式）。 */
async function contrastOf(page, selector) {
  return page.$$eval(selector, (els) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const blend = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a),
      g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a),
      a: 1,
    });
    return els.slice(0, 5).map((el) => {
      // 从元素往外找背景色并逐层叠加，直到不透明。
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg.a > 0) {
          layers.push(bg);
          if (bg.a >= 1) break;
        }
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (const layer of layers.reverse()) bg = blend(layer, bg);
      const style = getComputedStyle(el);
      let fg = parse(style.color);
      fg = blend({ ...fg, a: fg.a * Number(style.opacity) }, bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      return { text: el.textContent.trim().slice(0, 20), ratio: (hi + 0.05) / (lo + 0.05) };
    });
  });
}

for (const theme of ["light", "coal"]) {
  earlyTest(`${theme === "light" ? "浅色" : "深色"}主题（${theme}）可读，并保存截图`, async () => {
    const context = await newContext({ theme });
    const page = await context.newPage();
    await page.goto(server.url + "ch09-tokio.html");
    const cls = await page.evaluate(() => document.documentElement.className);
    assert.match(cls, new RegExp(`\\b${theme}\\b`), `页面没有切换到 ${theme} 主题（class="${cls}"）`);
    const problems = [];
    const selectors = [
      "main p",
      "main p.caption",
      "main p.listing-flag",
      "main p code",
      "main pre code",
      "main h1",
      "#mdbook-sidebar a",
    ];
    for (const sel of selectors) {
      for (const { text, ratio } of await contrastOf(page, sel)) {
        if (ratio < MIN_CONTRAST) problems.push(`${sel}「${text}」对比度 ${ratio.toFixed(2)}，低于 ${MIN_CONTRAST}`);
      }
    }
    const filters = await page.$$eval("main figure.diagram img", (imgs) => imgs.map((i) => getComputedStyle(i).filter));
    if (theme !== "light" && filters.some((f) => f === "none")) problems.push("深色主题下插图没有反相，浅色底的图会很刺眼");
    await page.screenshot({ path: join(SHOTS, `ch09-${theme}.png`) });
    const figure = page.locator("main figure.diagram").first();
    if (await figure.count()) {
      await figure.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `ch09-${theme}-diagram.png`) });
    }
    await context.close();
    assert.deepEqual(problems, []);
  });
}

// 整本书在一页上，打开要好几秒。不放在 before 里和别的页面同时打开：两个核都被占满时，
// 载入几百页的打印版会超过默认的 30 秒时限（CI 上真的发生过）。轮到它时别的页面大多已经关了，
// 时限也放宽到 120 秒：它防的是卡死，不是慢。
test("打印版包含整本书", async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(server.url + "print.html", { timeout: 120_000 });
  const text = await page.locator("main").innerText();
  await context.close();
  await chapterPages(); // 章节标题（titles）来自打开章节页的那一遍
  const missing = CHAPTERS.filter((f) => titles.get(f) && !text.includes(titles.get(f)));
  assert.ok(titles.size > 0, "前面的测试没有收集到章节标题");
  assert.deepEqual(missing, [], "打印版缺少这些章节");
});

earlyTest("放在子路径下也能用：根目录与 404 页", async () => {
  const context = await newContext({ allowStatus404: true });
  const page = await context.newPage();
  // 子路径本身（目录）打开前言。
  const home = await page.goto(server.url);
  assert.equal(home.status(), 200);
  assert.ok((await page.locator("main h1").count()) > 0, "子路径的根目录没有打开前言");
  // 不存在的页面：服务器回 404 页，它的样式和链接都要在子路径下（靠 site-url）。
  const res = await page.goto(server.url + "no-such-chapter.html");
  assert.equal(res.status(), 404);
  const info = await page.evaluate(() => ({
    sidebarFixed: getComputedStyle(document.querySelector(".sidebar")).position === "fixed",
    links: Array.from(document.querySelectorAll("a[href]"))
      .map((a) => a.href)
      .filter((h) => h.startsWith("http")),
    base: document.baseURI,
  }));
  await context.close();
  assert.ok(info.sidebarFixed, `404 页的样式表没有加载（base = ${info.base}）；构建时要设置 site-url`);
  const outside = info.links.filter((h) => h.startsWith(origin) && !h.startsWith(server.url));
  assert.deepEqual(outside, [], "404 页上有指向子路径之外的链接");
});

earlyTest("按 Esc 关掉搜索之后，再按 S 又能打开搜索", async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(server.url + "index.html");
  await page.keyboard.press("s");
  const bar = page.locator("#mdbook-searchbar");
  await bar.waitFor({ state: "visible" });
  await page.keyboard.type("异步");
  // 读者关掉搜索，马上又按 S：两次按键之间页面还没来得及重新布局。Esc 在页面里发出（发给有焦点的
  // 输入框，与真的按键一样），紧接着就看焦点在哪里。
  const stillFocused = await page.evaluate(() => {
    const input = document.getElementById("mdbook-searchbar");
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    return document.activeElement === input;
  });
  await page.keyboard.press("s");
  await page.waitForTimeout(100);
  const reopened = await bar.isVisible();
  const value = await bar.inputValue();
  await context.close();
  assert.ok(!stillFocused, "搜索框关掉之后，焦点还留在看不见的输入框里（theme/reader.js 的 showSearch(false) 要让它失去焦点）");
  assert.ok(reopened, "按 Esc 关掉搜索之后，再按 S 没有重新打开搜索框");
  assert.equal(value, "", "重新打开的搜索框应当是空的，不是把按下的 s 打了进去");
});

// 先等 before 里开始的工作都结束，它们的控制台错误和请求才都记下了。
test("控制台没有错误，没有失败的请求", async () => {
  await Promise.allSettled(early.map((job) => job()));
  assert.deepEqual(consoleErrors, [], "控制台错误");
  assert.deepEqual(failed, [], "失败的请求");
});

test("阅读本书时没有请求离开提供它的主机和子路径", async () => {
  await Promise.allSettled(early.map((job) => job()));
  assert.deepEqual([...new Set(external)], []);
});
