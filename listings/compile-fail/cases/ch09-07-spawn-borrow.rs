// ANCHOR: borrow
#[tokio::main]
async fn main() {
    let urls = [String::from("/a"), String::from("/b")];

    // 任务可能比 main 活得更久，所以 spawn 要求 Future 是 'static 的：
    // 这里的 async 块借用了局部变量 urls，编译器拒绝。
    let handle = tokio::spawn(async {
        println!("共 {} 个地址", urls.len());
    });

    handle.await.unwrap();
}
// ANCHOR_END: borrow
