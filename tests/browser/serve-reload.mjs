// `cargo xtask serve` 的页面刷新在真实的 Chromium 里是否生效。由 tests/serve.rs 驱动，不单独运行：
//
//   node tests/browser/serve-reload.mjs <页面地址>
//
// 打开页面后打印 ready，然后从标准输入逐行读命令，每条回答一行 ok 或 fail: 原因：
//   reload <文字>   等页面自己刷新（不是本脚本刷新的），并且显示这段文字
//   error <文字>    等页面在顶部显示含这段文字的构建报错，而且没有刷新

import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const [url] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20_000;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
await page.goto(url);
// 页面刷新后这个标记就没有了。
await page.evaluate(() => (window.__notReloaded = true));
console.log("ready");

// 反复求值直到为真：页面刷新时正在进行的求值会失败，忽略它再试。
async function until(fn, arg) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await page.evaluate(fn, arg).catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...rest] = line.split(" ");
  const text = rest.join(" ");
  let problem = null;
  if (command === "reload") {
    const ok = await until((t) => !window.__notReloaded && document.body.innerText.includes(t), text);
    if (ok) await page.evaluate(() => (window.__notReloaded = true));
    else problem = `${TIMEOUT} 毫秒内页面没有自己刷新并显示“${text}”`;
  } else if (command === "error") {
    const ok = await until((t) => {
      const bar = document.getElementById("__book_reload_error");
      return bar !== null && bar.textContent.includes(t);
    }, text);
    if (!ok) problem = `${TIMEOUT} 毫秒内页面顶部没有显示含“${text}”的构建报错`;
    else if (!(await page.evaluate(() => window.__notReloaded))) problem = "构建失败时页面不应刷新";
  } else {
    problem = `不认识的命令：${line}`;
  }
  if (!problem && errors.length) problem = `页面脚本出错：${errors.join("；")}`;
  console.log(problem ? `fail: ${problem}` : "ok");
}
await browser.close();
