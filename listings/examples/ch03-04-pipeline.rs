use tokio::sync::mpsc;

// ANCHOR: main
// 这里特意用默认的多线程运行时：三个阶段可能跑在不同线程上，
// 但每个通道都是先进先出、每个阶段都按顺序处理，所以输出顺序仍然确定。
#[tokio::main]
async fn main() {
    let (tx1, mut rx1) = mpsc::channel(10);
    let (tx2, mut rx2) = mpsc::channel(10);

    // 阶段 1：生成数字
    tokio::spawn(async move {
        for i in 1..=10u64 {
            tx1.send(i).await.unwrap();
        }
        // tx1 被丢弃，阶段 2 的 recv 返回 None，关闭信号沿流水线向下传。
    });

    // 阶段 2：平方
    tokio::spawn(async move {
        while let Some(n) = rx1.recv().await {
            tx2.send(n * n).await.unwrap();
        }
    });

    // 阶段 3：打印并求和
    let mut sum = 0;
    while let Some(n) = rx2.recv().await {
        println!("{n}");
        sum += n;
    }
    println!("平方和：{sum}");
}
// ANCHOR_END: main
