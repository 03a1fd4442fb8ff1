//! 示例 17-1 是一组测试，用 `cargo test --example ch17-01-tokio-test-flavors` 运行。

fn main() {
    println!("这个示例是一组测试：cargo test --example ch17-01-tokio-test-flavors");
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::runtime::{Handle, RuntimeFlavor};
    use tokio::time::Instant;

    // ANCHOR: flavors
    // 默认：每个测试函数有自己的单线程运行时，测试体就在运行测试的那个线程上执行。
    #[tokio::test]
    async fn default_runtime_is_current_thread() {
        let handle = Handle::current();
        assert_eq!(handle.runtime_flavor(), RuntimeFlavor::CurrentThread);
        assert_eq!(handle.metrics().num_workers(), 1);
    }

    // 要测的代码依赖真正的并行（比如一个任务阻塞时别的任务还得前进），就换多线程运行时。
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn multi_thread_runtime_has_two_workers() {
        let handle = Handle::current();
        assert_eq!(handle.runtime_flavor(), RuntimeFlavor::MultiThread);
        assert_eq!(handle.metrics().num_workers(), 2);
    }

    // 暂停的时钟：一小时的 sleep 瞬间结束，经过的虚拟时间不多不少正好一小时。
    #[tokio::test(start_paused = true)]
    async fn paused_clock_skips_the_wait() {
        let start = Instant::now();
        tokio::time::sleep(Duration::from_secs(3600)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3600));
    }
    // ANCHOR_END: flavors

    // ANCHOR: by_hand
    // #[tokio::test] 展开后大致就是这样：一个普通的 #[test]，自己建运行时，block_on 测试体。
    #[test]
    fn what_the_macro_expands_to() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("建立运行时")
            .block_on(async {
                assert_eq!(
                    Handle::current().runtime_flavor(),
                    RuntimeFlavor::CurrentThread
                );
            });
    }
    // ANCHOR_END: by_hand
}
