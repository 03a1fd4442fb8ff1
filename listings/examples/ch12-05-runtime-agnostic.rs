//! 示例 12-5：一个只依赖 futures-io trait 的小库，不改一行，分别跑在 Tokio 和 Smol 上。
//! Tokio 的套接字只实现 tokio::io 的 trait，由 async-compat 的 Compat 翻译；Smol 的套接字不用翻译。
//! 用的是 Unix 套接字对（只在 Unix 上有）；在 Windows 上可以换成示例 10-5 那样的回环 TCP 连接。

use std::io;

use async_compat::CompatExt;
use futures::StreamExt;
use futures::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

const RECORDS: &[&str] = &["第一条记录", "second", "第三条"];

// ANCHOR: library
/// 库函数：逐条写出记录，每条一行，写完关闭写方向。它只认 futures-io 的 AsyncWrite。
pub async fn send_records<W: AsyncWrite + Unpin>(mut out: W, records: &[&str]) -> io::Result<()> {
    for record in records {
        out.write_all(record.as_bytes()).await?;
        out.write_all(b"\n").await?;
    }
    // futures-io 把“关闭写方向”叫 close，tokio::io 叫 shutdown。
    out.close().await
}

/// 库函数：读到 EOF，数出行数和最长一行的字符数。它只认 futures-io 的 AsyncRead。
pub async fn line_stats<R: AsyncRead + Unpin>(input: R) -> io::Result<(usize, usize)> {
    let mut lines = BufReader::new(input).lines();
    let (mut count, mut longest) = (0, 0);
    while let Some(line) = lines.next().await {
        count += 1;
        longest = longest.max(line?.chars().count());
    }
    Ok((count, longest))
}
// ANCHOR_END: library

// ANCHOR: tokio
fn on_tokio() -> io::Result<(usize, usize)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    rt.block_on(async {
        let (a, b) = tokio::net::UnixStream::pair()?;
        // compat()：把 tokio::io 的 AsyncRead/AsyncWrite 翻译成 futures-io 的同名 trait。
        let (sent, stats) =
            futures::join!(send_records(a.compat(), RECORDS), line_stats(b.compat()));
        sent?;
        stats
    })
}
// ANCHOR_END: tokio

// ANCHOR: smol
fn on_smol() -> io::Result<(usize, usize)> {
    smol::block_on(async {
        let (a, b) = smol::net::unix::UnixStream::pair()?;
        // Smol 的 I/O 类型直接实现 futures-io 的 trait，原样交给库函数。
        let (sent, stats) = futures::join!(send_records(a, RECORDS), line_stats(b));
        sent?;
        stats
    })
}
// ANCHOR_END: smol

// ANCHOR: main
fn main() -> io::Result<()> {
    let (count, longest) = on_tokio()?;
    println!("Tokio：{count} 行，最长的一行 {longest} 个字符");
    let (count, longest) = on_smol()?;
    println!("Smol：{count} 行，最长的一行 {longest} 个字符");
    Ok(())
}
// ANCHOR_END: main
