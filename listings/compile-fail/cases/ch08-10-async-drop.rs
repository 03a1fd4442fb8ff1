use tokio::io::{AsyncWriteExt, DuplexStream};

// ANCHOR: async_drop
struct Session {
    out: DuplexStream,
}

impl Drop for Session {
    // 想在析构时发一条告别消息：这需要 .await，于是写成 async fn。
    async fn drop(&mut self) {
        let _ = self.out.write_all(b"BYE\n").await;
    }
}
// ANCHOR_END: async_drop

fn main() {
    let (out, _peer) = tokio::io::duplex(64);
    let _session = Session { out };
}
