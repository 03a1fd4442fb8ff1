// ANCHOR: all
#[tokio::main]
async fn main() {
    println!("你好，异步世界！");
}
// ANCHOR_END: all
