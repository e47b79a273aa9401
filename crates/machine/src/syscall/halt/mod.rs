//! The HALT chip.
//!
//! # Soundness
//! Proves there is exactly one HALT: its single real row receives the one Syscall message with
//! `t0 = 0` (the CPU sends one per HALT `ecall` and ends the run there), with result = exit
//! code (`a0` unchanged). It reads `a1` and `a2` at the cycle's memory slot, as the executor
//! does, checks `a1` is a word-aligned address below 2^29, reads the 8 digest words there, and
//! exposes the exit code's 4 bytes and the digest's 32 bytes as the public values. The bytes
//! were range-checked by whichever chip wrote them.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::HaltCols;
pub use trace::generate_trace;

/// Number of public values: the exit code's 4 bytes, then the digest's 32 bytes.
pub const NUM_PUBLIC_VALUES: usize = 4 + 32;

/// The HALT chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HaltChip;

impl BaseAir<Val> for HaltChip {
    fn width(&self) -> usize {
        HaltCols::<u8>::NUM_COLS
    }
    fn num_public_values(&self) -> usize {
        NUM_PUBLIC_VALUES
    }
}

impl Chip<Val> for HaltChip {
    fn name(&self) -> &'static str {
        "halt"
    }
    fn column_names(&self) -> Vec<String> {
        HaltCols::<u8>::names()
    }
}

/// The public values of a run that exited with `exit_code` and output digest `digest`.
pub fn public_values(exit_code: u32, digest: &[u8; 32]) -> Vec<Val> {
    use p3_field::PrimeCharacteristicRing;
    exit_code
        .to_le_bytes()
        .iter()
        .chain(digest)
        .map(|&b| Val::from_u8(b))
        .collect()
}
