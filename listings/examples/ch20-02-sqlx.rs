//! 示例 20-2：用 sqlx 访问 SQLite：连接池、建表、绑定参数的查询、把一行变成一个结构体。
//!
//! 示例 20-4 用 `#[path]` 引入本文件，服务器用的就是这里的数据库函数。

use serde::Serialize;
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{FromRow, Row};

// ANCHOR: todo
/// 一条待办事项。SQLite 的 INTEGER 是 64 位有符号整数，所以 id 是 i64。
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Todo {
    pub id: i64,
    pub title: String,
    pub done: bool,
}

/// 把查询结果的一行变成 Todo。sqlx 的派生宏 #[derive(FromRow)] 生成的就是这样的代码，
/// 它要开 sqlx 的 derive 特性（macros 特性包含它），本书两个都没有开。
impl FromRow<'_, SqliteRow> for Todo {
    fn from_row(row: &SqliteRow) -> sqlx::Result<Self> {
        Ok(Todo {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            done: row.try_get("done")?,
        })
    }
}
// ANCHOR_END: todo

// ANCHOR: schema
/// 建表。IF NOT EXISTS 让它可以在每次启动时运行。
pub async fn create_schema(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS todos (
            id    INTEGER PRIMARY KEY,
            title TEXT    NOT NULL,
            done  BOOLEAN NOT NULL DEFAULT FALSE
        )",
    )
    .execute(pool)
    .await?;
    Ok(())
}
// ANCHOR_END: schema

// ANCHOR: queries
/// 插入一条，连同数据库分配的 id 一起取回（SQLite 3.35 起支持 RETURNING）。
pub async fn insert(pool: &SqlitePool, title: &str) -> sqlx::Result<Todo> {
    // 值只经 bind 传入，从不拼进 SQL 文本：SQL 注入无从发生。
    sqlx::query_as("INSERT INTO todos (title) VALUES (?) RETURNING id, title, done")
        .bind(title)
        .fetch_one(pool)
        .await
}

/// 按 id 取一条；没有这一行时是 Ok(None)，不是错误。
pub async fn get(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<Todo>> {
    sqlx::query_as("SELECT id, title, done FROM todos WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<Todo>> {
    sqlx::query_as("SELECT id, title, done FROM todos ORDER BY id")
        .fetch_all(pool)
        .await
}

pub async fn set_done(pool: &SqlitePool, id: i64, done: bool) -> sqlx::Result<Option<Todo>> {
    sqlx::query_as("UPDATE todos SET done = ? WHERE id = ? RETURNING id, title, done")
        .bind(done)
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// 删掉一条；返回是否真的删掉了什么。
pub async fn delete(pool: &SqlitePool, id: i64) -> sqlx::Result<bool> {
    let result = sqlx::query("DELETE FROM todos WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}
// ANCHOR_END: queries

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> sqlx::Result<()> {
    // 一个内存数据库，最多 4 条连接。连接池本身是 Arc，克隆它很便宜。
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect("sqlite::memory:")
        .await?;
    create_schema(&pool).await?;

    let first = insert(&pool, "写第 20 章").await?;
    println!("插入：{first:?}");
    // 一个想注入 SQL 的标题：它只是一个普通的字符串值。
    let sly = insert(&pool, "'); DROP TABLE todos; --").await?;
    println!("插入：{sly:?}");
    println!("标记完成：{:?}", set_done(&pool, first.id, true).await?);
    println!("取 id = 99：{:?}", get(&pool, 99).await?);

    // 8 个任务同时插入：连接池最多给出 4 条连接，其余的等连接归还。
    let mut tasks = tokio::task::JoinSet::new();
    for i in 1..=8 {
        let pool = pool.clone();
        tasks.spawn(async move { insert(&pool, &format!("并发插入 {i}")).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("任务没有 panic")?;
    }
    let all = list(&pool).await?;
    // 8 条插入的先后取决于调度，所以只数条数。
    println!("共 {} 条，表还在", all.len());
    println!(
        "删除 id = 2：{}；再删一次：{}",
        delete(&pool, 2).await?,
        delete(&pool, 2).await?
    );
    pool.close().await;
    Ok(())
}
// ANCHOR_END: main
