use tracing::{Level, debug, info, info_span, trace, warn};

#[derive(Debug)]
struct Order {
    id: u32,
    items: Vec<&'static str>,
}

fn main() {
    // ANCHOR: init
    // 订阅者决定事件写到哪里、写成什么样。这几项设置让输出逐字可比：
    // 不打印时间，不输出颜色控制符，写到标准输出；线程 ID 和线程名默认就不打印。
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_max_level(Level::DEBUG)
        .init();
    // ANCHOR_END: init

    // ANCHOR: events
    // 事件：某一时刻发生的一件事，带级别、消息和结构化的字段。
    info!("服务启动");
    info!(port = 8080, "开始监听");
    // `%` 用 Display 记录字段，`?` 用 Debug 记录字段。
    let addr = std::net::Ipv4Addr::LOCALHOST;
    let order = Order {
        id: 7,
        items: vec!["书", "笔"],
    };
    debug!(%addr, ?order, "收到订单");
    // 低于 DEBUG 的事件被订阅者过滤掉，不会出现在输出里。
    trace!("这一行不会出现");
    // ANCHOR_END: events

    // ANCHOR: span
    // span：一段有开始和结束的时间，事件发生在哪些 span 里，输出就带上它们的名字和字段。
    let span = info_span!("order", id = order.id);
    span.in_scope(|| {
        info!(count = order.items.len(), "检查库存");
        let inner = info_span!("payment", method = "card");
        inner.in_scope(|| warn!("余额不足，改用备用卡"));
    });
    info!("离开 span 之后");
    // ANCHOR_END: span
}
