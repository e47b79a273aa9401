//! The Geode guest ABI: the single source of every number that the guest runtime and the host
//! (executor, prover, verifier) must agree on.
//!
//! `no_std`, no dependencies, so that both a riscv32im guest and the host use this very crate.
//! See `docs/abi.md` for the prose version.
#![no_std]

pub mod memory;
pub mod syscall;

/// Register numbers of the RISC-V integer ABI that the syscall convention uses.
pub mod reg {
    /// `zero`, hard-wired to 0.
    pub const ZERO: usize = 0;
    /// `ra`, the return address.
    pub const RA: usize = 1;
    /// `sp`, the stack pointer.
    pub const SP: usize = 2;
    /// `gp`, the global pointer.
    pub const GP: usize = 3;
    /// `t0`: holds the syscall id at an `ecall`.
    pub const T0: usize = 5;
    /// `a0`: first syscall argument and the syscall's result.
    pub const A0: usize = 10;
    /// `a1`: second syscall argument.
    pub const A1: usize = 11;
    /// `a2`: third syscall argument.
    pub const A2: usize = 12;
    /// `a3`: fourth syscall argument.
    pub const A3: usize = 13;
}

/// Size in bytes of the output digest passed to `HALT` (keccak256 of all committed bytes).
pub const DIGEST_BYTES: usize = 32;

/// Exit code the guest runtime passes to `HALT` when the guest panics (Rust's own exit code for
/// a panicking process), so that the host can tell a panic from a deliberate `exit`.
pub const PANIC_EXIT_CODE: u32 = 101;

/// Framing of the input stream that `HINT_LEN`/`HINT_READ` expose, shared by the host that writes
/// it and the guest runtime that reads it.
///
/// The stream is a sequence of frames. Each frame is its length in bytes as a little-endian `u32`
/// (`FRAME_LEN_BYTES` bytes), followed by that many payload bytes and nothing else: no padding,
/// even though `HINT_READ` writes to word-aligned guest memory. A typed value is one frame holding
/// its postcard encoding.
///
/// The public output is *not* framed: committed values are postcard encodings written back to
/// back, and postcard is self-delimiting, so the host reads them in order with
/// `postcard::take_from_bytes`.
pub mod io {
    /// Size of the little-endian `u32` length prefix of every input frame.
    pub const FRAME_LEN_BYTES: usize = 4;
}

/// File descriptors accepted by the `WRITE` syscall.
pub mod fd {
    /// Standard output.
    pub const STDOUT: u32 = 1;
    /// Standard error.
    pub const STDERR: u32 = 2;
}
