//! The chip of the syscalls that touch only registers: WRITE, COMMIT and HINT_LEN.
//!
//! # Soundness
//! Each real row receives one Syscall message whose `t0` is exactly one of the three ids (all
//! four bytes), reads `a1` and `a2` at the cycle's memory slot as the executor does, and fixes
//! the result: WRITE and COMMIT leave `a0` unchanged; HINT_LEN's result is the prover's advice
//! (the input is private), range-checked as bytes because this chip creates it. WRITE's output
//! is not proven (it is host-side output), and COMMIT's bytes are bound by the output digest
//! HALT proves, which the verifier checks against the claimed output — so neither needs the
//! bytes themselves here.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::MiscSyscallCols;
pub use trace::generate_trace;

/// WRITE, COMMIT and HINT_LEN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MiscSyscallChip;

impl BaseAir<Val> for MiscSyscallChip {
    fn width(&self) -> usize {
        MiscSyscallCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for MiscSyscallChip {
    fn name(&self) -> &'static str {
        "syscall_misc"
    }
    fn column_names(&self) -> Vec<String> {
        MiscSyscallCols::<u8>::names()
    }
}

/// The syscalls this chip proves.
pub const IDS: [u32; 3] = [
    geode_platform::syscall::WRITE,
    geode_platform::syscall::COMMIT,
    geode_platform::syscall::HINT_LEN,
];
