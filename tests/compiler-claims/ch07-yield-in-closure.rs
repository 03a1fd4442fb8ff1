//@ chapter: src/ch07-streams.md
//@ expect: error[E0658]
// 第 7 章：写在闭包里的 `yield` 同样无法编译，报错也从同一条 E0658 开始。
pub fn closure() {
    let _ = || {
        yield 1;
    };
}
