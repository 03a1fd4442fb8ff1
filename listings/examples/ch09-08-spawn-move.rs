use std::sync::Arc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: move
    let urls = [String::from("/a"), String::from("/b")];

    // 做法一：move，把所有权交给任务；之后 main 不能再用 urls。
    let handle = tokio::spawn(async move { urls.len() });
    println!("共 {} 个地址", handle.await.unwrap());
    // ANCHOR_END: move

    // ANCHOR: arc
    // 做法二：多个任务共享只读数据时，用 Arc，每个任务 move 进去一个克隆。
    let urls = Arc::new(vec![String::from("/a"), String::from("/b")]);
    let mut handles = Vec::new();
    for i in 0..urls.len() {
        let urls = Arc::clone(&urls); // 只增加引用计数，不复制 Vec
        handles.push(tokio::spawn(async move {
            format!("任务 {i} 处理 {}", urls[i])
        }));
    }
    for h in handles {
        println!("{}", h.await.unwrap());
    }
    // 所有任务都已结束、克隆已释放，引用计数回到 1。
    println!("Arc 引用计数：{}", Arc::strong_count(&urls));
    // ANCHOR_END: arc
}
