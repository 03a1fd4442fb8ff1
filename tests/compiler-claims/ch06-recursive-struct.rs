//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0072]
// 第 6 章：`struct Node { child: Node }` 这样的递归类型大小无穷大。
pub struct Node {
    pub child: Node,
}
