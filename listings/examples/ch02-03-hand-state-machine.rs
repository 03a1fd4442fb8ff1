//! 示例 2-3：手写 async fn 对应的状态机，并与编译器生成的版本比较。
use std::cell::RefCell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

thread_local! {
    // 执行轨迹：子 Future 和驱动函数把发生的事记在这里，最后比较两个版本。
    static TRACE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn log(line: String) {
    TRACE.with(|t| t.borrow_mut().push(line));
}

// ANCHOR: leaf
/// 模拟的子 Future：被轮询 `polls` 次都返回 Pending，之后给出结果。
/// 结果类型 T 是 Unpin 时它的所有字段都是 Unpin，它也就自动是 Unpin，
/// 于是可以直接通过 Pin<&mut Self> 修改字段。
struct Simulated<T> {
    step: &'static str,
    polls: u32,
    result: Option<T>,
}

impl<T: Unpin> Future for Simulated<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.polls == 0 {
            log(format!("    {} 完成", self.step));
            return Poll::Ready(self.result.take().expect("完成后不应再被轮询"));
        }
        self.polls -= 1;
        log(format!("    {} 还在等待", self.step));
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

struct Response {
    id: u32,
}

/// 模拟“发送请求”：id 为 0 时失败。
fn http_get(id: u32) -> Simulated<Result<Response, String>> {
    let result = if id == 0 {
        Err("404 Not Found".to_string())
    } else {
        Ok(Response { id })
    };
    Simulated {
        step: "http_get",
        polls: 1,
        result: Some(result),
    }
}

impl Response {
    /// 模拟“读取响应体”。
    fn text(self) -> Simulated<Result<String, String>> {
        let body = format!("第 {} 号数据", self.id);
        Simulated {
            step: "text",
            polls: 2,
            result: Some(Ok(body)),
        }
    }
}
// ANCHOR_END: leaf

// ANCHOR: async_fn
async fn fetch_data(id: u32) -> Result<String, String> {
    let response = http_get(id).await?;
    let body = response.text().await?;
    Ok(body)
}
// ANCHOR_END: async_fn

// ANCHOR: state_machine
/// 每个挂起点（.await）对应一个状态，状态里保存跨过这个挂起点还要用的值。
enum FetchData {
    Start {
        id: u32,
    },
    WaitingForResponse {
        future: Simulated<Result<Response, String>>,
    },
    WaitingForBody {
        future: Simulated<Result<String, String>>,
    },
    Done,
}

fn fetch_data_by_hand(id: u32) -> FetchData {
    // 和 async fn 一样：调用时只构造初始状态，什么也不执行。
    FetchData::Start { id }
}

impl Future for FetchData {
    type Output = Result<String, String>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // 所有字段都是 Unpin，所以 FetchData 也是 Unpin，
        // 可以安全地从 Pin<&mut Self> 取出 &mut Self。只在循环外取一次。
        let this = self.get_mut();
        loop {
            match this {
                FetchData::Start { id } => {
                    let future = http_get(*id);
                    *this = FetchData::WaitingForResponse { future };
                }
                FetchData::WaitingForResponse { future } => match Pin::new(future).poll(cx) {
                    Poll::Ready(Ok(response)) => {
                        // 不返回，继续循环：立刻轮询下一步的子 Future。
                        let future = response.text();
                        *this = FetchData::WaitingForBody { future };
                    }
                    Poll::Ready(Err(e)) => {
                        // 这就是 `?` 的提前返回；出错也要进入 Done。
                        *this = FetchData::Done;
                        return Poll::Ready(Err(e));
                    }
                    Poll::Pending => return Poll::Pending,
                },
                FetchData::WaitingForBody { future } => match Pin::new(future).poll(cx) {
                    Poll::Ready(result) => {
                        *this = FetchData::Done;
                        return Poll::Ready(result);
                    }
                    Poll::Pending => return Poll::Pending,
                },
                FetchData::Done => panic!("FetchData 在完成之后又被轮询"),
            }
        }
    }
}
// ANCHOR_END: state_machine

// ANCHOR: drive
/// 用什么也不做的唤醒器反复轮询，记下每次轮询的结果，返回执行轨迹。
fn drive<F: Future>(future: F) -> Vec<String>
where
    F::Output: std::fmt::Debug,
{
    TRACE.with(|t| t.borrow_mut().clear());
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for n in 1.. {
        log(format!("  第 {n} 次 poll"));
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            log(format!("  → Ready({output:?})"));
            break;
        }
        log("  → Pending".to_string());
    }
    TRACE.with(|t| t.take())
}

fn main() {
    for id in [7, 0] {
        let by_hand = drive(fetch_data_by_hand(id));
        let by_compiler = drive(fetch_data(id));
        println!("id = {id}，手写状态机的轨迹：");
        for line in &by_hand {
            println!("{line}");
        }
        println!("async fn 的轨迹与之完全相同：{}", by_hand == by_compiler);
    }
}
// ANCHOR_END: drive
