//! Trace generation for the memory-init chip.

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::columns::MemoryInitCols;
use crate::byte_counter::ByteCounter;
use crate::memory::padded_height;
use crate::memory::range::populate_below_2_29;

/// One row per address in `addrs` (each must be below 2^29), padded with all-zero rows.
/// Records the rows' byte lookups in `bytes`.
///
/// # Panics
/// If an address is not below 2^29.
pub fn generate_trace(addrs: &[u32], bytes: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = MemoryInitCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(padded_height(addrs.len()) * width);
    values[..addrs.len() * width]
        .par_chunks_mut(width)
        .zip(addrs.par_iter())
        .for_each(|(row, &addr)| {
            let cols = MemoryInitCols::from_slice_mut(row);
            cols.addr = Val::from_u32(addr);
            (cols.addr_lo, cols.addr_hi) = populate_below_2_29(addr, bytes);
            cols.is_real = Val::ONE;
        });
    RowMajorMatrix::new(values, width)
}
