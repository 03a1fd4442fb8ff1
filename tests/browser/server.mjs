// 一个只读的静态文件服务器，可以把本书放在子路径下提供（像 GitHub Pages 的 /仓库名/ 那样）。
//
//   node tests/browser/server.mjs <目录> [端口] [子路径]
//
// 子路径之外的请求一律 404，所以书里任何写死了站点根目录的链接都会在浏览器测试中暴露出来。
// 也可以作为模块使用：`startServer({ dir, port, prefix })`。

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".pagefind": "application/octet-stream",
  ".pf_meta": "application/octet-stream",
  ".pf_fragment": "application/octet-stream",
  ".pf_index": "application/octet-stream",
  ".pf_filter": "application/octet-stream",
};

/** 启动服务器；返回 { server, url, close() }。端口为 0 时由系统分配。 */
export function startServer({ dir, port = 0, prefix = "/", host = "127.0.0.1", log = false }) {
  const root = resolve(dir);
  if (!prefix.startsWith("/")) prefix = "/" + prefix;
  if (!prefix.endsWith("/")) prefix += "/";

  async function send(res, status, file) {
    const body = await readFile(file);
    res.writeHead(status, {
      "Content-Type": TYPES[extname(file)] || "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-cache",
    });
    res.end(body);
  }

  async function notFound(res) {
    try {
      await send(res, 404, join(root, "404.html"));
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("404");
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (log) console.log(`${req.method} ${path}`);
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405);
        return res.end();
      }
      if (path === prefix.slice(0, -1)) {
        res.writeHead(301, { Location: prefix });
        return res.end();
      }
      if (!path.startsWith(prefix)) return notFound(res);
      let file = normalize(join(root, path.slice(prefix.length)));
      if (file !== root && !file.startsWith(root + sep)) return notFound(res);
      let info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        file = join(file, "index.html");
        info = await stat(file).catch(() => null);
      }
      if (!info || !info.isFile()) return notFound(res);
      await send(res, 200, file);
    } catch (e) {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(String(e));
    }
  });

  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolvePromise({
        server,
        url: `http://${host}:${actual}${prefix}`,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port = "3000", prefix = "/"] = process.argv.slice(2);
  if (!dir) {
    console.error("用法：node tests/browser/server.mjs <目录> [端口] [子路径]");
    process.exit(2);
  }
  startServer({ dir, port: Number(port), prefix })
    .then(({ url }) => {
      console.log(`本书已在 ${url} 提供（按 Ctrl-C 停止）`);
    })
    .catch((e) => {
      console.error(`无法在端口 ${port} 上启动服务器：${e.message}`);
      process.exit(1);
    });
}
