//! The byte table's fixed columns and its multiplicities from the lookup counts.

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::BYTE_TABLE_ROWS;
use super::columns::{ByteMultCols, ByteTableCols};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// The table row's operands: `x = row & 255`, `y = row >> 8`.
fn operands(row: usize) -> (u8, u8) {
    ((row & 0xff) as u8, (row >> 8) as u8)
}

/// The preprocessed trace: every row's operands and results.
pub(super) fn table() -> RowMajorMatrix<Val> {
    let width = ByteTableCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(BYTE_TABLE_ROWS * width);
    values
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(r, row)| {
            let (x, y) = operands(r);
            let f = Val::from_u8;
            *ByteTableCols::from_slice_mut(row) = ByteTableCols {
                x: f(x),
                y: f(y),
                and: f(x & y),
                or: f(x | y),
                xor: f(x ^ y),
                ltu: f(u8::from(x < y)),
                msb: f(x >> 7),
                y_is_zero: f(u8::from(y == 0)),
            };
        });
    RowMajorMatrix::new(values, width)
}

/// The main trace: each op's lookup count at each row.
pub(super) fn multiplicities(counter: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = ByteMultCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(BYTE_TABLE_ROWS * width);
    values
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(r, row)| {
            let (x, y) = operands(r);
            let cols = ByteMultCols::from_slice_mut(row);
            for op in ByteOp::ALL {
                *cols.get_mut(op) = Val::from_u32(counter.count(op, x, y));
            }
        });
    RowMajorMatrix::new(values, width)
}
