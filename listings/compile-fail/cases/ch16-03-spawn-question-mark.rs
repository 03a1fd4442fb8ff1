use std::num::ParseIntError;

// ANCHOR: spawn
async fn load_port(text: &str) -> Result<u16, ParseIntError> {
    text.trim().parse()
}

#[tokio::main]
async fn main() {
    let handle = tokio::spawn(async {
        // async 块没有写出返回类型：? 要把错误转换成“块的错误类型”，
        // 可这个类型无处可推。
        let port = load_port("8080").await?;
        println!("端口 {port}");
        Ok(())
    });
    let _ = handle.await;
}
// ANCHOR_END: spawn
