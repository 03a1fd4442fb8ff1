//! 示例 12-2：在 compio 的 io_uring 驱动上读写文件：缓冲区交出去、连同结果一起收回；
//! 丢弃一个在途操作的 Future 之后，缓冲区要等运行时收到完成事件才释放。
//! 只在 Linux 上运行；内核拒绝 io_uring 时打印原因并以退出码 1 结束，不退回 epoll。

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use compio::BufResult;
use compio::buf::IoBuf;
use compio::fs::File;
use compio::io::{AsyncReadAtExt, AsyncWrite, AsyncWriteAtExt};
use compio::runtime::Runtime;

// ANCHOR: runtime
fn main() {
    // Cargo.toml 只开了 compio 的 io-uring 驱动，没开 polling：
    // 内核不给 io_uring 时，这里直接报错，而不是悄悄换成 epoll。
    let rt = match Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法创建 io_uring 实例：{e}");
            eprintln!(
                "内核可能关闭了 io_uring（/proc/sys/kernel/io_uring_disabled 不为 0），\
                 或者容器的 seccomp 策略禁止了 io_uring_setup；本示例只演示 io_uring。"
            );
            std::process::exit(1);
        }
    };
    // 第二道保险：Cargo 特性是叠加的，依赖图里别处开了 polling 就会编进“融合”驱动，
    // 它会悄悄改用 polling；在 Linux 之外 compio 也不会用 io_uring。这些情况都不冒充 io_uring。
    if !rt.driver_type().is_iouring() {
        eprintln!(
            "compio 用的是 {:?} 驱动，不是 io_uring；本示例只演示 io_uring。",
            rt.driver_type()
        );
        std::process::exit(1);
    }
    println!("驱动：{:?}", rt.driver_type());
    rt.block_on(async {
        write_then_read().await;
        drop_in_flight().await;
    });
}
// ANCHOR_END: runtime

// ANCHOR: file
async fn write_then_read() {
    let path = std::env::temp_dir().join(format!("ch12-02-{}.txt", std::process::id()));

    let mut file = File::create(&path).await.unwrap();
    let data = "第一行\n第二行\n".as_bytes().to_vec();
    // write_all_at 拿走 data 的所有权；BufResult 的第二项把它原样还回来。
    let BufResult(res, data) = file.write_all_at(data, 0).await;
    res.unwrap();
    println!("写入 {} 字节，缓冲区回到了手里", data.len());
    file.close().await.unwrap();

    let file = File::open(&path).await.unwrap();
    // 读也一样：交出一个空的 Vec，收回装满数据的同一个 Vec。
    let buf = Vec::with_capacity(64);
    let BufResult(res, buf) = file.read_to_end_at(buf, 0).await;
    let n = res.unwrap();
    println!("读回 {n} 字节：{:?}", String::from_utf8(buf).unwrap());
    file.close().await.unwrap();
    std::fs::remove_file(&path).unwrap();
}
// ANCHOR_END: file

// ANCHOR: loud
/// 一个会报告自己何时被释放的缓冲区。IoBuf 只要求能给出已初始化的字节。
struct TracedBuf {
    data: Vec<u8>,
    freed: Rc<Cell<bool>>,
}

impl IoBuf for TracedBuf {
    fn as_init(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for TracedBuf {
    fn drop(&mut self) {
        self.freed.set(true);
    }
}
// ANCHOR_END: loud

// ANCHOR: cancel
async fn drop_in_flight() {
    // 读端 _rx 一直留着、但不去读：读端关了，写会立刻以 EPIPE 失败。
    let (_rx, mut tx) = compio::fs::pipe::anonymous().await.unwrap();
    // 先把管道写满（Linux 管道的默认容量是 16 页，4 KiB 的页就是 64 KiB），下一次写就只能等着。
    let BufResult(res, _) = tx.write(vec![0u8; 64 * 1024]).await;
    res.unwrap();

    let freed = Rc::new(Cell::new(false));
    let buf = TracedBuf {
        data: vec![1u8; 4096],
        freed: freed.clone(),
    };
    {
        let mut write = pin!(tx.write(buf));
        // 只轮询一次：写操作连同缓冲区一起交给了运行时，然后 Future 被丢弃（取消）。
        let first = poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx).is_pending())).await;
        println!("第一次轮询后仍在等待：{first}");
    }
    println!("Future 已丢弃，缓冲区已释放：{}", freed.get());

    // 运行时向内核提交了取消请求；收到这次写的完成事件之后，它才丢弃缓冲区。
    let mut turns = 0;
    while !freed.get() {
        turns += 1;
        assert!(turns < 1000, "运行时迟迟没有释放缓冲区");
        compio::runtime::time::sleep(Duration::from_millis(1)).await;
    }
    println!("运行时收到完成事件后，缓冲区已释放：{}", freed.get());
}
// ANCHOR_END: cancel
