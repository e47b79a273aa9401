//! The UINT256_MULMOD chip: one row per call, `x := x·y mod m`.
//!
//! # Soundness
//! The row receives the `ecall` (id `0x103`), proves `a0` and `a1` word-aligned RAM addresses,
//! and requests from the word-io chip the 8 words at `a0` (found: `x`, left: `r`) and the 16 at
//! `a1` (found and left: `y` then `m`), at the call's memory slot; their bytes are range-checked
//! by the memory chain. The [`field_eq`](super::field_eq) gadget proves `x·y − r = q·m` over the
//! integers with `q ≥ 0`, and [`less_than`](super::less_than) proves `r < m` (and `r`'s bytes).
//! So `r = x·y mod m`, as the executor computes; `m = 0` has no valid row (`r < 0` is
//! impossible). Overlapping regions would access one word twice at one timestamp, which memory
//! rejects.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::MulModCols;
pub use trace::generate_trace;

/// UINT256_MULMOD.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MulModChip;

impl BaseAir<Val> for MulModChip {
    fn width(&self) -> usize {
        MulModCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for MulModChip {
    fn name(&self) -> &'static str {
        "uint256_mulmod"
    }
    fn column_names(&self) -> Vec<String> {
        MulModCols::<u8>::names()
    }
}
