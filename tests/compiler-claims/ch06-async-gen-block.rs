//@ chapter: src/ch06-async-fn-limits.md
//@ expect: error[E0658]
//@ expect: gen blocks are experimental
//@ expect: issues/117078
// 第 6 章 6.8 节的表：`async gen` 块。
pub fn numbers() {
    let _ = async gen {
        yield 1;
    };
}
