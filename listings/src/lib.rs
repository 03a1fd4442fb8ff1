//! 《Rust 异步编程指南》的示例程序都在 `examples/` 目录下，
//! 每个文件是一个完整的程序，书中的代码块从这些文件按锚点引入。
//!
//! 运行某个示例：`cargo run --example ch09-03-joinset`。
