//! The image chip's fixed table and (empty) main trace.

use std::collections::BTreeMap;

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::{ImageCols, ImagePrepCols};
use crate::memory::{padded_height, word_bytes};

/// The preprocessed table: one row per image word (in address order), zero-padded.
pub(super) fn preprocessed(image: &BTreeMap<u32, u32>) -> RowMajorMatrix<Val> {
    let width = ImagePrepCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(padded_height(image.len()) * width);
    for (row, (&addr, &word)) in values.chunks_exact_mut(width).zip(image) {
        let cols = ImagePrepCols::from_slice_mut(row);
        cols.addr = Val::from_u32(addr);
        cols.value = word_bytes(word);
        cols.is_real = Val::ONE;
    }
    RowMajorMatrix::new(values, width)
}

/// The main trace: all zeros, as tall as the preprocessed table.
pub(super) fn main_trace(height: usize) -> RowMajorMatrix<Val> {
    let width = ImageCols::<u8>::NUM_COLS;
    RowMajorMatrix::new(Val::zero_vec(height * width), width)
}
