//! The runtime of a Geode guest program: everything between the zkVM and a `#![no_std]`
//! `#![no_main]` Rust binary.
//!
//! - `_start` sets up `gp` and `sp`, calls the function named by [`entrypoint!`], and halts with
//!   exit code 0;
//! - a bump heap from the end of the image (`_end`) up to
//!   [`HEAP_END`](geode_platform::memory::HEAP_END), so `alloc` works;
//! - a panic handler that prints the panic to stderr and halts with
//!   [`PANIC_EXIT_CODE`](geode_platform::PANIC_EXIT_CODE);
//! - [`io`]: the framed input stream, committed public output, and `print!`-style macros;
//! - [`keccak`]: keccak256 on the `KECCAK_PERMUTE` precompile;
//! - [`secp256k1`]: ECDSA verification, `ecrecover` and Ethereum addresses on the secp256k1
//!   and [`uint256`] mulmod precompiles;
//! - [`syscalls`]: thin wrappers around each `ecall`.
//!
//! Every byte committed through [`io`] is also absorbed into a running keccak256, and every way a
//! guest ends ([`exit`], returning from main, panicking) hands that digest to `HALT`, which makes
//! it a public value of the proof. See `docs/guest.md` for a guide.
//!
//! The crate only builds for `riscv32im-unknown-none-elf`.
#![no_std]

#[cfg(not(target_arch = "riscv32"))]
compile_error!("geode-guest only builds for riscv32im-unknown-none-elf (use guest-programs/)");

extern crate alloc;

mod cell;
mod heap;
pub mod io;
pub mod keccak;
mod panic;
pub mod secp256k1;
mod start;
pub mod syscalls;
pub mod uint256;

/// The guest ABI (syscall ids, memory map, constants), re-exported so that a guest program needs
/// no dependency of its own on geode-platform.
pub use geode_platform as platform;

/// Ends the run with `exit_code`: finalizes the output digest (keccak256 of every byte committed
/// so far) and passes both to `HALT`.
///
/// Returning from the guest's main is `exit(0)`; a panic is `exit(PANIC_EXIT_CODE)`.
pub fn exit(exit_code: u32) -> ! {
    let digest = io::finalize_output_digest();
    syscalls::halt(exit_code, &digest)
}

/// Names the guest program's main function, a `fn()`, which `_start` calls once the stack is set
/// up; when it returns, the guest halts with exit code 0.
///
/// ```ignore
/// #![no_std]
/// #![no_main]
///
/// geode_guest::entrypoint!(main);
///
/// fn main() {
///     geode_guest::println!("Hello from Geode!");
/// }
/// ```
#[macro_export]
macro_rules! entrypoint {
    ($path:path) => {
        // Checks the signature here, with a clear error, rather than at the call below.
        const _: fn() = $path;

        /// Called by geode-guest's `_start`; see `geode_guest::entrypoint!`.
        #[unsafe(no_mangle)]
        extern "C" fn __geode_main() {
            $path()
        }
    };
}
