//! 示例 5-11（无法编译）：给 pin_project! 声明的类型写普通的 impl Drop。
use pin_project_lite::pin_project;

// ANCHOR: drop
pin_project! {
    struct Traced<F> {
        #[pin]
        inner: F,
        label: &'static str,
    }
}

// Drop::drop 拿到的是 &mut Self：可以把被固定的 inner 移走，所以 pin-project-lite 不允许。
impl<F> Drop for Traced<F> {
    fn drop(&mut self) {
        println!("{}：被丢弃", self.label);
    }
}
// ANCHOR_END: drop

fn main() {
    let traced = Traced {
        inner: std::future::ready(1),
        label: "任务",
    };
    drop(traced);
}
