//! Syscall chips. Each receives the `ecall`s of its ids on the Syscall bus and, like the
//! executor, reads `a1` and `a2` itself at the memory slot.

pub mod halt;
pub mod hint_read;
pub mod misc;
