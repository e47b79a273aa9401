//! The HINT_READ chip: copies input bytes (the prover's private advice) into memory.
//!
//! # Soundness
//! Each HINT_READ `ecall` is received once, by a row with `is_first`; that row reads `a1` (the
//! length, checked below 2^29) and `a2` at the memory slot, and the destination `a0` must be a
//! word-aligned address in RAM (at least 0x10000, so registers cannot be written, and below
//! 2^29). Rows that are not first continue the previous row's read: same cycle, next word,
//! four bytes fewer left, and only full words are followed by a continuation; the read's last
//! row writes exactly the bytes left (0..=4). So exactly `len` bytes are written at
//! `a0..a0+len`, each a range-checked byte, and the rest of the last word keeps its value. The
//! bytes themselves are unconstrained: input is advice, as the executor's input is private.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::HintReadCols;
pub use trace::generate_trace;

/// HINT_READ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HintReadChip;

impl BaseAir<Val> for HintReadChip {
    fn width(&self) -> usize {
        HintReadCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for HintReadChip {
    fn name(&self) -> &'static str {
        "hint_read"
    }
    fn column_names(&self) -> Vec<String> {
        HintReadCols::<u8>::names()
    }
}
