//! Trace generation for the memory-final chip.

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::columns::MemoryFinalCols;
use crate::byte_counter::ByteCounter;
use crate::memory::range::populate_below_2_29;
use crate::memory::{padded_height, word_bytes};

/// One row per `(addr, value, ts)` of `rows` (strictly increasing addresses below 2^29), padded
/// with all-zero rows. Records the gaps' byte lookups in `bytes`.
///
/// # Panics
/// If the addresses are not strictly increasing or not below 2^29.
pub fn generate_trace(rows: &[(u32, u32, u32)], bytes: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = MemoryFinalCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(padded_height(rows.len()) * width);
    values[..rows.len() * width]
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(i, row)| {
            let (addr, value, ts) = rows[i];
            let cols = MemoryFinalCols::from_slice_mut(row);
            cols.addr = Val::from_u32(addr);
            cols.value = word_bytes(value);
            cols.ts = Val::from_u32(ts);
            cols.is_real = Val::ONE;
            if let Some(&(next, _, _)) = rows.get(i + 1) {
                assert!(
                    next > addr,
                    "final rows at {addr:#x} then {next:#x} are not increasing"
                );
                cols.has_next = Val::ONE;
                (cols.gap_lo, cols.gap_hi) = populate_below_2_29(next - addr - 1, bytes);
            }
        });
    if let Some(&(last, _, _)) = rows.last() {
        assert!(last < 1 << 29, "final row at {last:#x} is not below 2^29");
    }
    RowMajorMatrix::new(values, width)
}
