//! 示例 12-4：Embassy 的执行器在主机上运行（embassy-executor 0.10 的 platform-std）。
//! 两个任务放在编译时分配好的静态任务池里，经由一个静态通道通信，生产者用 embassy-time 的计时器定时。

use std::sync::atomic::{AtomicBool, Ordering};

use embassy_executor::{Executor, Spawner};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use embassy_time::Timer;
use static_cell::StaticCell;

// ANCHOR: statics
/// 容量为 2 的通道：一个 static，大小在编译时就确定，不在堆上。
static READINGS: Channel<CriticalSectionRawMutex, u32, 2> = Channel::new();
/// 执行器的 run_until 每轮询一批任务就看一次这个标志。
static DONE: AtomicBool = AtomicBool::new(false);
/// 执行器要求 &'static mut：StaticCell 安全地给出一次，而且只给一次。
static EXECUTOR: StaticCell<Executor> = StaticCell::new();
// ANCHOR_END: statics

// ANCHOR: tasks
/// 模拟一个每毫秒采样一次的传感器。
#[embassy_executor::task]
async fn sensor() {
    for i in 1..=5 {
        Timer::after_millis(1).await;
        // 通道满了就在这里等：有界通道的背压。
        READINGS.send(i * 10).await;
    }
}

#[embassy_executor::task]
async fn logger() {
    let mut sum = 0;
    for _ in 0..5 {
        let reading = READINGS.receive().await;
        sum += reading;
        println!("收到读数 {reading}");
    }
    println!("合计 {sum}");
    DONE.store(true, Ordering::Release);
}
// ANCHOR_END: tasks

// ANCHOR: main
fn main() {
    let executor: &'static mut Executor = EXECUTOR.init(Executor::new());
    executor.run_until(
        |spawner: Spawner| {
            // sensor() 不运行任务，只是在它的静态任务池里占一个槽，交回一个 SpawnToken。
            spawner.spawn(sensor().unwrap());
            spawner.spawn(logger().unwrap());
            // 任务池默认只有一个槽：logger 已经占着，第二个实例无处安放。
            match logger() {
                Ok(token) => spawner.spawn(token),
                Err(e) => println!("第二个 logger：{e}"),
            }
        },
        || DONE.load(Ordering::Acquire),
    );
    println!("执行器已停止");
}
// ANCHOR_END: main
