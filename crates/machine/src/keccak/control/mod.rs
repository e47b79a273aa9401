//! The keccak control chip: one row per KECCAK_PERMUTE `ecall` (see the parent module's
//! Soundness section).

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::KeccakControlCols;
pub use trace::generate_trace;

/// KECCAK_PERMUTE's `ecall`s and state words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeccakControlChip;

impl BaseAir<Val> for KeccakControlChip {
    fn width(&self) -> usize {
        KeccakControlCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for KeccakControlChip {
    fn name(&self) -> &'static str {
        "keccak_control"
    }
    fn column_names(&self) -> Vec<String> {
        KeccakControlCols::<u8>::names()
    }
}
