//! The memory-init chip: one row per touched address outside the program image (the 32
//! registers always), each starting at value 0 at timestamp 0.
//!
//! # Soundness
//! Each real row sends `(addr, 0, 0, 0, 0, 0)` on `Memory` with `addr < 2^29` (a U16 limb and a
//! limb proven below 2^13). The prover chooses the addresses freely; nothing here stops it from
//! initializing an address twice, or an image address with zeros. The final chip rules both
//! out: it receives exactly one token per address, and every token of an address must have been
//! sent by init or the image (each access sends and receives one token for its address), so an
//! address initialized twice leaves one token unconsumed. The range check is what the final
//! chip's ordering argument assumes: every address it can receive is below 2^29.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::MemoryInitCols;
pub use trace::generate_trace;

/// The memory-init chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryInitChip;

impl BaseAir<Val> for MemoryInitChip {
    fn width(&self) -> usize {
        MemoryInitCols::<u8>::NUM_COLS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl Chip<Val> for MemoryInitChip {
    fn name(&self) -> &'static str {
        "memory_init"
    }

    fn column_names(&self) -> Vec<String> {
        MemoryInitCols::<u8>::names()
    }
}

#[cfg(test)]
mod tests;
