use std::time::Duration;

// ANCHOR: define
tokio::task_local! {
    static REQUEST_ID: String;
}
// ANCHOR_END: define

// ANCHOR: handle
async fn handle_request(id: String) {
    // scope 把值绑定到这一个 Future 上：它内部的每一层 .await 都能读到。
    REQUEST_ID
        .scope(id, async {
            process_data().await;
            save_result().await;
        })
        .await
}

async fn process_data() {
    REQUEST_ID.with(|id| println!("[{id}] 处理数据"));
    // 挂起期间别的请求会运行，但各自看到的仍是自己的 ID。
    tokio::time::sleep(Duration::from_millis(10)).await;
}

async fn save_result() {
    REQUEST_ID.with(|id| println!("[{id}] 保存结果"));
}
// ANCHOR_END: handle

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // ANCHOR: concurrent
    // 两个请求在同一个任务里交替推进，ID 不会串。
    tokio::join!(
        handle_request("req-1".to_string()),
        handle_request("req-2".to_string()),
    );
    // ANCHOR_END: concurrent

    // ANCHOR: outside
    // 作用域之外：with 和 get 会 panic，try_with 和 try_get 返回 Err。
    match REQUEST_ID.try_get() {
        Ok(id) => println!("作用域外读到：{id}"),
        Err(e) => println!("作用域外：{e}"),
    }
    // ANCHOR_END: outside

    // ANCHOR: spawn
    REQUEST_ID
        .scope("req-3".to_string(), async {
            // 新任务不继承任务本地变量：它是另一个顶层 Future。
            let inherited = tokio::spawn(async { REQUEST_ID.try_get().is_ok() })
                .await
                .unwrap();
            println!("新任务能读到 REQUEST_ID：{inherited}");

            // 需要的话，先取出值，在新任务里重新建立作用域。
            let id = REQUEST_ID.get(); // String 实现了 Clone，get 返回一份克隆
            tokio::spawn(REQUEST_ID.scope(id, save_result()))
                .await
                .unwrap();
        })
        .await;
    // ANCHOR_END: spawn
}
