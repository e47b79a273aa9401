//! Offline memory checking (Blum et al.) over the one address space of registers and RAM.
//!
//! Every chip that touches memory uses the [`access`] gadget: it receives the state it finds,
//! `(addr, prev_value, prev_ts)`, and sends the state it leaves, `(addr, value, ts)`, on
//! [`GeodeBus::Memory`](crate::bus::GeodeBus::Memory), proving `ts > prev_ts`. Three chips
//! close the chains:
//! - [`init`] sends `(addr, 0, 0)` once per touched address outside the program image,
//! - [`image`] sends `(addr, word, 0)` for every non-zero word of the ELF (preprocessed),
//! - [`finalize`] receives the last state of every initialized address, once each, proving the
//!   addresses strictly increase.
//!
//! [`memory_tables`] turns an execution record into the rows of `init` and `finalize`.

pub mod access;
pub mod finalize;
pub mod image;
pub mod init;
mod range;
mod tables;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

pub use access::{MemoryAccessCols, eval_access, eval_read, populate_access};
pub use finalize::MemoryFinalChip;
pub use image::ImageChip;
pub use init::MemoryInitChip;
pub use tables::memory_tables;

/// Fewest rows a trace has: a trace of one row (log height 0) is not provable.
pub(crate) const MIN_ROWS: usize = 2;

/// The height of a trace with `rows` real rows: the next power of two, at least [`MIN_ROWS`].
pub(crate) fn padded_height(rows: usize) -> usize {
    rows.next_power_of_two().max(MIN_ROWS)
}

/// The word `Σ bytes[k] · 256^k` of four little-endian byte expressions.
pub fn word_of_bytes<E: PrimeCharacteristicRing + Clone>(bytes: &[E; 4]) -> E {
    bytes
        .iter()
        .rev()
        .fold(E::ZERO, |acc, b| acc * E::from_u16(256) + b.clone())
}

/// A word as it crosses a bus: four little-endian bytes.
pub fn word_bytes(word: u32) -> [Val; 4] {
    word.to_le_bytes().map(Val::from_u8)
}
