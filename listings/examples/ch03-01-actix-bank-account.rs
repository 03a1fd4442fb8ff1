// ANCHOR: all
use actix::prelude::*;

/// 账户 Actor 能处理的消息。`rtype` 声明了处理结果的类型，
/// 调用方 `send(...).await` 得到的就是它（外面再包一层邮箱错误）。
#[derive(Message)]
#[rtype(result = "Result<u64, String>")]
enum AccountMsg {
    Deposit(u64),
    Withdraw(u64),
}

/// 余额是 Actor 的私有状态：外界拿不到 `&mut`，只能发消息。
struct BankAccount {
    balance: u64,
}

impl Actor for BankAccount {
    type Context = Context<Self>;
}

impl Handler<AccountMsg> for BankAccount {
    type Result = Result<u64, String>;

    // 同一个 Actor 一次只处理一条消息，所以这里读改写余额不需要锁。
    fn handle(&mut self, msg: AccountMsg, _ctx: &mut Context<Self>) -> Self::Result {
        match msg {
            AccountMsg::Deposit(amount) => {
                // 用 checked_add 而不是 +=：溢出时拒绝，而不是 panic 或回绕。
                self.balance = self
                    .balance
                    .checked_add(amount)
                    .ok_or_else(|| "金额过大".to_string())?;
                Ok(self.balance)
            }
            AccountMsg::Withdraw(amount) => {
                if self.balance >= amount {
                    self.balance -= amount;
                    Ok(self.balance)
                } else {
                    Err(format!("余额不足：余额 {}，想取 {}", self.balance, amount))
                }
            }
        }
    }
}

// actix 自己重新导出了启动宏：写 #[actix::main]，不需要另加 actix-rt 依赖。
#[actix::main]
async fn main() {
    let account: Addr<BankAccount> = BankAccount { balance: 1000 }.start();

    let requests = [
        ("存入 500", AccountMsg::Deposit(500)),
        ("取出 300", AccountMsg::Withdraw(300)),
        ("取出 5000", AccountMsg::Withdraw(5000)),
    ];
    for (label, msg) in requests {
        // 外层 Result：消息是否送达（Actor 已停止时是 MailboxError）；
        // 内层 Result：业务处理的结果。
        match account.send(msg).await {
            Ok(Ok(balance)) => println!("{label}：成功，余额 {balance}"),
            Ok(Err(reason)) => println!("{label}：失败，{reason}"),
            Err(mailbox) => println!("{label}：消息没有送达，{mailbox}"),
        }
    }
}
// ANCHOR_END: all
