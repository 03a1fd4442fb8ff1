//! 示例 6-10（无法编译）：async fn 直接递归，状态机要包含它自己。

use std::time::Duration;

struct Node {
    name: &'static str,
    size: u64,
    children: Vec<Node>,
}

// ANCHOR: recursion
// 统计一棵目录树的总大小：每个节点先“读取元数据”，再递归统计子节点。
async fn total_size(node: &Node) -> u64 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    let mut total = node.size;
    for child in &node.children {
        total += total_size(child).await;
    }
    total
}
// ANCHOR_END: recursion

#[tokio::main]
async fn main() {
    let root = Node {
        name: "/",
        size: 1,
        children: vec![],
    };
    println!("{} {}", root.name, total_size(&root).await);
}
