//! 示例 6-11：用 Box::pin 给递归调用加一层间接，递归的 async fn 就能编译。

use std::time::Duration;

struct Node {
    name: &'static str,
    size: u64,
    children: Vec<Node>,
}

// ANCHOR: recursion
async fn total_size(node: &Node, depth: usize) -> u64 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    println!("{}{}", "  ".repeat(depth), node.name);
    let mut total = node.size;
    for child in &node.children {
        // 子调用的状态机放到堆上：外层状态机里只存一个指针，大小就有限了。
        // 代价是每一层递归调用分配一次。
        total += Box::pin(total_size(child, depth + 1)).await;
    }
    total
}
// ANCHOR_END: recursion

fn leaf(name: &'static str, size: u64) -> Node {
    Node {
        name,
        size,
        children: vec![],
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: main
    let root = Node {
        name: "/",
        size: 1,
        children: vec![
            Node {
                name: "src",
                size: 1,
                children: vec![leaf("main.rs", 40), leaf("lib.rs", 25)],
            },
            leaf("Cargo.toml", 3),
        ],
    };
    let start = tokio::time::Instant::now();
    let future = total_size(&root, 0);
    println!("Future 占 {} 字节", size_of_val(&future));
    let total = future.await;
    println!(
        "总大小：{total}，用时 {} 毫秒（虚拟时间）",
        start.elapsed().as_millis()
    );
    // ANCHOR_END: main
}
