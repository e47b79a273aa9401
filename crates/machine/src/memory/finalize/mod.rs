//! The memory-final chip: the last state of every initialized address, one row per address,
//! sorted by address.
//!
//! # Soundness
//! Each real row receives `(addr, value, ts)` on `Memory`. Real rows come first (`is_real`
//! boolean and non-increasing), and between consecutive real rows `next.addr − addr − 1` is a
//! U16 limb plus a limb below 2^13, i.e. in `[0, 2^29)` as a field element.
//!
//! That makes the addresses strictly increasing as integers, hence distinct, given that every
//! address this chip receives is below 2^29: then `next.addr − addr − 1` is an integer in
//! `(−2^29 − 1, 2^29)`, and a negative one is a field element `≥ p − 2^29 − 1 > 2^29`. The
//! assumption holds because every other chip on `Memory` is an access through the gadget, which
//! sends and receives one token of the same address with the same multiplicity; so on a
//! balanced bus every address received here was sent by memory-init (which proves it below
//! 2^29) or by the image (whose addresses the loader keeps below 2^29, in the verifying key).
//! Without a bound on the addresses, four gaps of about 2^29 would wrap around p and repeat an
//! address.
//!
//! With each address finalized once, an address sent twice by init and image cannot balance:
//! this chip is what makes "each address is initialized exactly once" true. Values and
//! timestamps are not checked: they equal what some access (or init/image) sent.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::MemoryFinalCols;
pub use trace::generate_trace;

/// The memory-final chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryFinalChip;

impl BaseAir<Val> for MemoryFinalChip {
    fn width(&self) -> usize {
        MemoryFinalCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for MemoryFinalChip {
    fn name(&self) -> &'static str {
        "memory_final"
    }

    fn column_names(&self) -> Vec<String> {
        MemoryFinalCols::<u8>::names()
    }
}

#[cfg(test)]
mod tests;
