//! 示例 11-3：反应器：在 mio 之上把就绪通知变成唤醒，再用它做一个 TCP 回显。
//! 执行器就是示例 11-1 的那一个（这里隐藏了，没有用到的 ThreadParker 等辅助代码没有复制过来）。

use std::collections::{HashMap, VecDeque};
use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use mio::event::Source;
use mio::{Events, Interest, Registry, Token};

// ---------- 示例 11-1 的执行器（原样复制） ----------

/// 执行器手上没有就绪的任务时，交给驱动去等。
pub trait Driver: Send + Sync + 'static {
    /// 阻塞当前线程，直到有事发生：unpark 被调用，或者驱动自己处理了一批事件。
    fn park(&self);
    /// 可以从任何线程调用：叫醒正阻塞在 park 里的执行器。
    fn unpark(&self);
}

type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// 一个任务：装箱的 Future，加上把自己放回运行队列所需的一切。
struct Task {
    /// 只有执行器所在的线程轮询它，这把锁从不争用；
    /// 它在这里是为了让 Task 成为 Sync（示例 11-2 说明为什么必须如此）。
    future: Mutex<Option<BoxFuture>>,
    /// 任务已经在运行队列里了吗？几次唤醒只排一次队。
    queued: AtomicBool,
    shared: Arc<Shared>,
}

/// 执行器和所有任务共享的部分：运行队列和驱动。
struct Shared {
    queue: Mutex<VecDeque<Arc<Task>>>,
    driver: Arc<dyn Driver>,
}

impl Shared {
    fn push(&self, task: Arc<Task>) {
        self.queue.lock().unwrap().push_back(task);
        // 唤醒可能来自别的线程，而执行器可能正在 park
        self.driver.unpark();
    }
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.shared.push(self.clone());
        }
    }
}

impl Task {
    fn run(self: Arc<Self>) {
        // 先清标志再轮询：轮询期间发生的唤醒要能让任务重新排队
        self.queued.store(false, Ordering::Release);
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            // 完成的 Future 立即丢弃，以后再被唤醒也不会再轮询它
            *slot = None;
        }
    }
}

/// 任务的输出在这里交接：任务写入，JoinHandle 取走。
struct JoinSlot<T> {
    output: Option<T>,
    waker: Option<Waker>,
}

fn complete<T>(slot: &Mutex<JoinSlot<T>>, output: T) {
    let waker = {
        let mut slot = slot.lock().unwrap();
        slot.output = Some(output);
        slot.waker.take()
    };
    // 在锁外唤醒，理由与示例 2-5 相同
    if let Some(waker) = waker {
        waker.wake();
    }
}

pub struct JoinHandle<T> {
    slot: Arc<Mutex<JoinSlot<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.lock().unwrap();
        match slot.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                // 每次都换上这一次的唤醒器（第 2 章的第 3 条约定）
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// 运行时的句柄。克隆它很便宜，任务可以带着它去派生别的任务。
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

impl Runtime {
    pub fn new(driver: Arc<dyn Driver>) -> Runtime {
        let queue = Mutex::new(VecDeque::new());
        Runtime {
            shared: Arc::new(Shared { queue, driver }),
        }
    }

    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let slot = Arc::new(Mutex::new(JoinSlot {
            output: None,
            waker: None,
        }));
        let task_slot = slot.clone();
        // 把用户的 Future 包一层：完成时把输出放进格子，唤醒等它的人
        let wrapped = async move { complete(&task_slot, future.await) };
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(wrapped))),
            queued: AtomicBool::new(true),
            shared: self.shared.clone(),
        });
        self.shared.push(task);
        JoinHandle { slot }
    }

    /// 把 future 作为主任务派生，然后一直运行任务，直到主任务完成。
    pub fn block_on<F>(&self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let main = self.spawn(future);
        loop {
            // 先取出任务、放开队列的锁，再轮询：轮询中的唤醒还要用这把锁
            let next = self.shared.queue.lock().unwrap().pop_front();
            match next {
                Some(task) => task.run(),
                // 没有就绪的任务：交给驱动去等
                None => self.shared.driver.park(),
            }
            if let Some(output) = main.slot.lock().unwrap().output.take() {
                return output;
            }
        }
    }
}

// ---------- 示例 11-1 到此为止 ----------

// ANCHOR: reactor
/// 给 unpark 用的 token：它的事件只为让 poll 返回，没有等着它的任务。
const WAKE: Token = Token(usize::MAX);

/// 一个方向（读或写）在用户空间里的记录：就绪位，加上等这个方向的唤醒器。
#[derive(Default)]
struct Side {
    ready: bool,
    waker: Option<Waker>,
}

/// 一个登记项在用户空间里的全部记录（相当于 Tokio 的 ScheduledIo）。
#[derive(Default)]
struct IoState {
    read: Side,
    write: Side,
}

/// 反应器：mio 的 Poll（Linux 上是 epoll），加上按 token 存放的就绪位和唤醒器。
pub struct Reactor {
    /// mio::Poll::poll 要 &mut self，同一时刻只能有一个线程在等；事件缓冲区和它放在一起。
    poll: Mutex<(mio::Poll, Events)>,
    /// 登记、注销用的句柄，不必拿上面那把锁。
    registry: Registry,
    /// 别的线程用它让正在等待的 poll 立刻返回（Linux 上是一个 eventfd）。
    waker: mio::Waker,
    /// 内核只知道文件描述符和 token，就绪位和唤醒器留在这里。
    states: Mutex<HashMap<Token, IoState>>,
    next_token: AtomicUsize,
}

impl Reactor {
    pub fn new() -> io::Result<Arc<Reactor>> {
        let poll = mio::Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = mio::Waker::new(&registry, WAKE)?;
        Ok(Arc::new(Reactor {
            // 一次最多取回 1024 个事件，和 Tokio 的 max_io_events_per_tick 默认值相同
            poll: Mutex::new((poll, Events::with_capacity(1024))),
            registry,
            waker,
            states: Mutex::new(HashMap::new()),
            next_token: AtomicUsize::new(0),
        }))
    }

    /// 等待 I/O 事件，最多等 timeout（None 表示一直等），然后唤醒等着这些事件的任务。
    pub fn park_timeout(&self, timeout: Option<Duration>) {
        let mut guard = self.poll.lock().unwrap();
        let (poll, events) = &mut *guard;
        // 执行器无事可做时，线程就阻塞在这里；被信号打断（EINTR）就当作什么也没发生
        if let Err(e) = poll.poll(events, timeout)
            && e.kind() != io::ErrorKind::Interrupted
        {
            panic!("等待 I/O 事件失败：{e}");
        }
        let mut ready = Vec::new();
        let mut states = self.states.lock().unwrap();
        for event in events.iter() {
            // WAKE 的事件、已经注销的 token，都找不到记录，跳过
            let Some(state) = states.get_mut(&event.token()) else {
                continue;
            };
            // 边沿触发：这个通知只来一次，所以先记进就绪位，有人在等就唤醒它。
            // 关闭和出错也算就绪：让任务去读写，由系统调用把结果告诉它。
            if event.is_readable() || event.is_read_closed() || event.is_error() {
                state.read.ready = true;
                ready.extend(state.read.waker.take());
            }
            if event.is_writable() || event.is_write_closed() || event.is_error() {
                state.write.ready = true;
                ready.extend(state.write.waker.take());
            }
        }
        drop(states);
        drop(guard);
        for waker in ready {
            waker.wake();
        }
    }
}

impl Driver for Reactor {
    fn park(&self) {
        self.park_timeout(None);
    }

    fn unpark(&self) {
        self.waker.wake().expect("唤醒反应器失败");
    }
}
// ANCHOR_END: reactor

// ANCHOR: register
/// 登记到反应器的 I/O 对象。它只借出 &T：io 不能被换掉，也不能绕过 Drop 被关闭。
pub struct Async<T: Source> {
    io: T,
    token: Token,
    reactor: Arc<Reactor>,
}

impl<T: Source> Async<T> {
    /// io 必须是非阻塞模式（mio 创建的套接字都是）。
    pub fn new(reactor: &Arc<Reactor>, mut io: T) -> io::Result<Async<T>> {
        // token 从不重复使用：注销之后还在路上的旧事件找不到记录，只会被跳过
        let token = Token(reactor.next_token.fetch_add(1, Ordering::Relaxed));
        // 持着 states 的锁登记：哪怕事件马上到来，记录也已经在了
        let mut states = reactor.states.lock().unwrap();
        // 只登记这一次，读写都关心；mio 在 epoll 上加 EPOLLET，边沿触发
        reactor
            .registry
            .register(&mut io, token, Interest::READABLE | Interest::WRITABLE)?;
        states.insert(token, IoState::default());
        drop(states);
        let reactor = reactor.clone();
        Ok(Async { io, token, reactor })
    }

    pub fn get_ref(&self) -> &T {
        &self.io
    }
}

impl<T: Source> Drop for Async<T> {
    fn drop(&mut self) {
        // 先注销：mio 保证此后的 poll 不再报告这个 token。字段 io 在 drop 返回之后才被关闭。
        let _ = self.reactor.registry.deregister(&mut self.io);
        self.reactor.states.lock().unwrap().remove(&self.token);
    }
}
// ANCHOR_END: register

// ANCHOR: poll_io
#[derive(Clone, Copy)]
enum Direction {
    Read,
    Write,
}

impl IoState {
    fn side(&mut self, dir: Direction) -> &mut Side {
        match dir {
            Direction::Read => &mut self.read,
            Direction::Write => &mut self.write,
        }
    }
}

impl<T: Source> Async<T> {
    /// 就绪位说“可以”才做系统调用；内核说 WouldBlock，就清掉就绪位，存下唤醒器，返回 Pending。
    fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        dir: Direction,
        op: &mut impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            {
                let mut states = self.reactor.states.lock().unwrap();
                let side = states
                    .get_mut(&self.token)
                    .expect("Async 活着，记录就在")
                    .side(dir);
                if !side.ready {
                    // 没有就绪：存下这一次的唤醒器，一次系统调用也不做。
                    // 检查就绪位和存唤醒器在同一次持锁中完成，事件不会从中间溜过去。
                    side.waker = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
            match op(&self.io) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    // 内核说“没有了”：这次就绪已经用完，清掉，回到循环开头去存唤醒器。
                    // 事件只在执行器线程的 park 里分发，不会插在 op 和这里之间。
                    let mut states = self.reactor.states.lock().unwrap();
                    if let Some(state) = states.get_mut(&self.token) {
                        state.side(dir).ready = false;
                    }
                }
                result => return Poll::Ready(result),
            }
        }
    }

    pub async fn read_with<R>(&self, mut op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        poll_fn(|cx| self.poll_io(cx, Direction::Read, &mut op)).await
    }

    pub async fn write_with<R>(&self, mut op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        poll_fn(|cx| self.poll_io(cx, Direction::Write, &mut op)).await
    }
}
// ANCHOR_END: poll_io

// ANCHOR: tcp
pub struct TcpListener {
    inner: Async<mio::net::TcpListener>,
}

impl TcpListener {
    pub fn bind(reactor: &Arc<Reactor>, addr: SocketAddr) -> io::Result<TcpListener> {
        // mio 创建的套接字本来就是非阻塞的
        let listener = mio::net::TcpListener::bind(addr)?;
        Ok(TcpListener {
            inner: Async::new(reactor, listener)?,
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.get_ref().local_addr()
    }

    pub async fn accept(&self) -> io::Result<TcpStream> {
        // mio 的 accept 得到的连接也是非阻塞的（Linux 上用 accept4 加 SOCK_NONBLOCK）
        let (stream, _) = self.inner.read_with(|listener| listener.accept()).await?;
        Ok(TcpStream {
            inner: Async::new(&self.inner.reactor, stream)?,
        })
    }
}

pub struct TcpStream {
    inner: Async<mio::net::TcpStream>,
}

impl TcpStream {
    /// 非阻塞的 connect：发起连接就返回，等到“可写”才知道连上了没有。
    pub async fn connect(reactor: &Arc<Reactor>, addr: SocketAddr) -> io::Result<TcpStream> {
        let inner = Async::new(reactor, mio::net::TcpStream::connect(addr)?)?;
        inner
            .write_with(|stream| {
                // 连接失败时，错误留在套接字上（SO_ERROR）
                if let Some(e) = stream.take_error()? {
                    return Err(e);
                }
                // mio 的文档提醒：可写事件可能是假的，还没连上就当作 WouldBlock，接着等
                match stream.peer_addr() {
                    Ok(_) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                        Err(io::ErrorKind::WouldBlock.into())
                    }
                    Err(e) => Err(e),
                }
            })
            .await?;
        Ok(TcpStream { inner })
    }

    pub async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read_with(|mut stream| stream.read(buf)).await
    }

    pub async fn write_all(&self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self
                .inner
                .write_with(|mut stream| stream.write(buf))
                .await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            buf = &buf[n..];
        }
        Ok(())
    }

    /// 关闭写方向：对方的 read 读到 0 字节（EOF）。
    pub fn shutdown_write(&self) -> io::Result<()> {
        self.inner.get_ref().shutdown(Shutdown::Write)
    }
}
// ANCHOR_END: tcp

// ANCHOR: echo
/// 服务器端：把读到的字节原样写回，直到对方关闭写方向。
async fn echo(stream: TcpStream) -> io::Result<usize> {
    let mut buf = [0u8; 1024];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(total);
        }
        stream.write_all(&buf[..n]).await?;
        total += n;
    }
}

/// 客户端：发一句话，关闭写方向，再把回显读到 EOF。
async fn client(reactor: Arc<Reactor>, addr: SocketAddr, id: usize) -> io::Result<String> {
    let stream = TcpStream::connect(&reactor, addr).await?;
    let message = format!("你好，我是客户端 {id}");
    stream.write_all(message.as_bytes()).await?;
    stream.shutdown_write()?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8(reply).expect("回显的是客户端发出的 UTF-8"))
}
// ANCHOR_END: echo

// ANCHOR: main
const CLIENTS: usize = 3;

fn main() -> io::Result<()> {
    let reactor = Reactor::new()?;
    // 示例 11-1 的执行器一行不改，只是把驱动换成了反应器
    let rt = Runtime::new(reactor.clone());
    let handle = rt.clone();
    let (replies, echoed) = rt.block_on(async move {
        let listener = TcpListener::bind(&reactor, SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let addr = listener.local_addr()?;
        // 服务器：接受 CLIENTS 个连接，每个连接一个任务，然后等它们都结束
        let server = handle.spawn({
            let handle = handle.clone();
            async move {
                let mut conns = Vec::new();
                for _ in 0..CLIENTS {
                    let stream = listener.accept().await?;
                    conns.push(handle.spawn(echo(stream)));
                }
                let mut echoed = 0;
                for conn in conns {
                    echoed += conn.await?;
                }
                io::Result::Ok(echoed)
            }
        });
        // 客户端：同一个程序、同一个线程上的另外几个任务
        let clients: Vec<_> = (1..=CLIENTS)
            .map(|id| handle.spawn(client(reactor.clone(), addr, id)))
            .collect();
        let mut replies = Vec::new();
        for client in clients {
            replies.push(client.await?);
        }
        io::Result::Ok((replies, server.await?))
    })?;
    for (id, reply) in (1..).zip(&replies) {
        println!("客户端 {id} 收到回显：{reply}");
    }
    println!("服务器共回显 {echoed} 字节");
    Ok(())
}
// ANCHOR_END: main
