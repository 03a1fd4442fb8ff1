//! 示例 14-4：锁保护的是一条连接，一次事务要在持锁期间 .await 几次：用 tokio::sync::Mutex。

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::{Instant, sleep};

// ANCHOR: connection
/// 一条数据库连接（模拟）：同一时刻只能跑一条语句，每条语句一次网络往返。
struct Connection {
    executed: Vec<String>,
}

impl Connection {
    async fn execute(&mut self, sql: &str) {
        sleep(Duration::from_millis(10)).await;
        self.executed.push(sql.to_string());
    }
}
// ANCHOR_END: connection

// ANCHOR: transfer
/// 一次转账是三条语句，中间不能插进别人的语句：整个事务都要持有连接。
async fn transfer(conn: &Mutex<Connection>, who: &str, start: Instant) {
    println!("{:>3} ms {who} 请求连接", start.elapsed().as_millis());
    let mut conn = conn.lock().await; // 等锁时只挂起这个任务，线程照常运行别的任务
    println!("{:>3} ms {who} 拿到连接", start.elapsed().as_millis());
    conn.execute("BEGIN").await;
    conn.execute("UPDATE accounts SET ...").await;
    conn.execute("COMMIT").await;
    println!("{:>3} ms {who} 提交，归还连接", start.elapsed().as_millis());
}
// ANCHOR_END: transfer

// ANCHOR: main
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let conn = Arc::new(Mutex::new(Connection {
        executed: Vec::new(),
    }));
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for (i, who) in ["甲", "乙", "丙"].into_iter().enumerate() {
        let conn = Arc::clone(&conn);
        set.spawn(async move {
            // 三个任务依次晚 1 毫秒发出请求，请求的先后因此是确定的。
            sleep(Duration::from_millis(i as u64)).await;
            transfer(&conn, who, start).await;
        });
    }
    set.join_all().await;
    println!("连接上共执行了 {} 条语句", conn.lock().await.executed.len());
}
// ANCHOR_END: main
