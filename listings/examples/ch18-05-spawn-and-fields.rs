use tracing::{Instrument, Span, field, info, instrument};

struct Request {
    user: &'static str,
    quantity: &'static str,
    // 请求体可能很大，不应该整个写进日志。
    body: Vec<u8>,
}

// ANCHOR: ret_err
// ret 在函数返回 Ok 时记下返回值，err 在返回 Err 时以 ERROR 级别记下错误。
#[instrument(ret, err)]
async fn parse_quantity(text: &str) -> Result<u32, std::num::ParseIntError> {
    text.parse()
}
// ANCHOR_END: ret_err

// ANCHOR: create_order
// skip_all 不记录任何参数，fields 只挑需要的；order_id 先占位，算出来再填。
#[instrument(skip_all, fields(user = req.user, bytes = req.body.len(), order_id = field::Empty))]
async fn create_order(req: Request) -> Result<u64, std::num::ParseIntError> {
    let quantity = parse_quantity(req.quantity).await?;
    let order_id = 1000 + u64::from(quantity);
    Span::current().record("order_id", order_id);
    info!(quantity, "订单已创建");

    // 派生的任务是新的顶层 Future，不在任何 span 里。
    tokio::spawn(async { info!("写审计日志（忘了带上 span）") })
        .await
        .unwrap();
    // in_current_span 把当前 span 交给新任务。
    tokio::spawn(async { info!("写审计日志") }.in_current_span())
        .await
        .unwrap();
    Ok(order_id)
}
// ANCHOR_END: create_order

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    tracing_subscriber::fmt()
        .without_time()
        .with_ansi(false)
        .with_writer(std::io::stdout)
        .with_target(false)
        .init();

    // ANCHOR: main
    let ok = Request {
        user: "alice",
        quantity: "3",
        body: vec![0; 512],
    };
    let _ = create_order(ok).await;
    let bad = Request {
        user: "bob",
        quantity: "三",
        body: vec![0; 64],
    };
    let _ = create_order(bad).await;
    // ANCHOR_END: main
}
