//! 示例 20-3：连接池关掉空闲连接，内存数据库随最后一条连接一起消失。

use std::time::Duration;

use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};

async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM todos")
        .fetch_one(pool)
        .await
}

async fn setup(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query("CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO todos (title) VALUES ('写第 20 章')")
        .execute(pool)
        .await?;
    Ok(())
}

/// 等连接池里一条连接也不剩（最多等 5 秒）。
async fn wait_until_empty(pool: &SqlitePool) {
    for _ in 0..100 {
        if pool.size() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("5 秒后连接池里还有 {} 条连接", pool.size());
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> sqlx::Result<()> {
    // 空闲超时默认是 10 分钟；这里缩短到 100 毫秒，示例才不必等那么久。
    let pool = SqlitePoolOptions::new()
        .idle_timeout(Duration::from_millis(100))
        .connect("sqlite::memory:")
        .await?;
    setup(&pool).await?;
    println!("建表并插入之后：{} 行", count(&pool).await?);

    // 什么也不做，等后台的维护任务把空闲的连接关掉。
    wait_until_empty(&pool).await;
    println!("空闲超时之后，连接池里有 {} 条连接", pool.size());
    // 下一次查询让连接池新开一条连接：连上的是一个全新的、空的内存数据库。
    match count(&pool).await {
        Ok(n) => println!("再查询：{n} 行"),
        Err(e) => println!("再查询：{e}"),
    }

    // 修法之一：不让连接池因为空闲或寿命到期而关闭连接。
    let pool = SqlitePoolOptions::new()
        .idle_timeout(None)
        .max_lifetime(None)
        .connect("sqlite::memory:")
        .await?;
    setup(&pool).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    println!(
        "不设空闲超时与寿命：300 毫秒之后再查询：{} 行",
        count(&pool).await?
    );
    Ok(())
}
// ANCHOR_END: main
