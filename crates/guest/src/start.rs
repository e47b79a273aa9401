//! The entry point, `_start`, which the linker script makes the ELF's entry.

use geode_platform::memory::STACK_TOP;

// The psABI wants a 16-byte-aligned stack pointer at every call.
const _: () = assert!(
    STACK_TOP.is_multiple_of(16),
    "STACK_TOP must be 16-byte aligned"
);

// `gp` must be loaded with relaxation off: relaxed, the linker could rewrite the `la` itself into
// a gp-relative access, relative to the very register it is setting.
core::arch::global_asm!(
    ".section .text._start, \"ax\", @progbits",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    ".option push",
    ".option norelax",
    "    la gp, __global_pointer$",
    ".option pop",
    "    li sp, {stack_top}",
    // Defined by `entrypoint!` in the guest binary.
    "    call __geode_main",
    "    li a0, 0",
    "    tail __geode_exit",
    ".size _start, . - _start",
    stack_top = const STACK_TOP,
);

/// Where `_start` goes when the guest's main returns: [`crate::exit`] under a symbol name that
/// the assembly can call.
#[unsafe(no_mangle)]
extern "C" fn __geode_exit(exit_code: u32) -> ! {
    crate::exit(exit_code)
}
