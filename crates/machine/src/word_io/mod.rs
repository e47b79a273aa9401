//! The word-io chip: the memory accesses of the 256-bit precompiles, two consecutive words per
//! row, requested by the precompile chips on the word-io bus.
//!
//! # Soundness
//! Each real row receives `(clk, addr, prev[8], value[8])` on `WordIo` and, at `clk`'s memory
//! slot, accesses `addr` and `addr + 4` through the memory gadget, finding `prev` and leaving
//! `value`. A row is real only with a matching request, and every request needs a real row, so
//! the precompile chips' reads and writes are exactly memory accesses. (Keeping them here, one
//! narrow row per two words, spares the wide precompile rows four interactions per word.) The
//! requester range-checks the bytes it writes; `prev` equals what the memory chain holds. Two
//! requests for one address at one cycle cannot both be served: the gadget needs strictly
//! increasing timestamps, which is what makes a precompile's overlapping regions unprovable.

mod air;
pub mod columns;
pub mod entry;
mod trace;

use geode_stark::{Bus, Chip, Val};
use p3_air::{AirBuilder, BaseAir};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use crate::bus::GeodeBus;

pub use columns::WordIoCols;
pub use entry::{PointerEntryCols, eval_pointer_entry, populate_pointer_entry};
pub use trace::generate_trace;

/// Syscalls whose memory accesses go through this chip.
pub const IDS: [u32; 3] = [
    geode_platform::syscall::SECP256K1_ADD,
    geode_platform::syscall::SECP256K1_DOUBLE,
    geode_platform::syscall::UINT256_MULMOD,
];

/// Words per row and per request.
pub const WORDS: usize = 2;

/// Two words of precompile memory traffic per row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordIoChip;

impl BaseAir<Val> for WordIoChip {
    fn width(&self) -> usize {
        WordIoCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for WordIoChip {
    fn name(&self) -> &'static str {
        "word_io"
    }
    fn column_names(&self) -> Vec<String> {
        WordIoCols::<u8>::names()
    }
}

/// Requests the words at `ptr, ptr + 4, …` from the word-io chip at cycle `clk`, finding the
/// bytes `prev` and leaving `value` (pass the same bytes for a read), with multiplicity `count`
/// (0 or 1): one message per two words.
pub fn request_words<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    clk: AB::Expr,
    ptr: AB::Expr,
    prev: &[AB::Expr],
    value: &[AB::Expr],
    count: AB::Expr,
) {
    const BYTES: usize = 4 * WORDS;
    for (k, (p, v)) in prev.chunks(BYTES).zip(value.chunks(BYTES)).enumerate() {
        let mut message = vec![clk.clone(), ptr.clone() + AB::Expr::from_usize(BYTES * k)];
        message.extend(p.iter().cloned());
        message.extend(v.iter().cloned());
        GeodeBus::WordIo.send(builder, message, count.clone(), 1);
    }
}
