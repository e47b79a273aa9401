//! The image chip: the ELF's initial memory, one preprocessed row per non-zero word.
//!
//! # Soundness
//! Each row sends `(addr, word, 0)` on `Memory` with the PREPROCESSED `is_real` as multiplicity,
//! so the table and the multiplicities are part of the verifying key. This is what binds the
//! guest's code and data to the proof: with a prover-chosen multiplicity, a prover could drop an
//! image word and initialize its address through memory-init instead, with zeros (or, having
//! dropped it, nothing would ever read the ELF's value). Since the final chip consumes exactly
//! one token per address, an image address also initialized by memory-init cannot balance, so
//! every image word starts at exactly its ELF value. Zero words are not in the table: their
//! addresses, if touched, start at 0 through memory-init, which is the same value.
//!
//! Image addresses are word-aligned and below 2^29 (the loader's memory map), which the final
//! chip's ordering argument relies on. The main trace carries nothing (one zero column).

mod air;
pub mod columns;
mod trace;

use std::sync::Arc;

use geode_executor::Program;
use geode_stark::{Chip, Val};
use p3_air::BaseAir;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

pub use columns::{ImageCols, ImagePrepCols};

/// The image chip of one program.
#[derive(Clone, Debug)]
pub struct ImageChip {
    prep: Arc<RowMajorMatrix<Val>>,
}

impl ImageChip {
    /// The chip for `program`'s initial memory ([`Program::image`]).
    pub fn new(program: &Program) -> Self {
        Self {
            prep: Arc::new(trace::preprocessed(program.image())),
        }
    }

    /// The main trace (all zeros, as tall as the fixed table).
    pub fn generate_trace(&self) -> RowMajorMatrix<Val> {
        trace::main_trace(self.prep.height())
    }
}

impl BaseAir<Val> for ImageChip {
    fn width(&self) -> usize {
        ImageCols::<u8>::NUM_COLS
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        Some((*self.prep).clone())
    }

    fn preprocessed_width(&self) -> usize {
        ImagePrepCols::<u8>::NUM_COLS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl Chip<Val> for ImageChip {
    fn name(&self) -> &'static str {
        "image"
    }

    fn column_names(&self) -> Vec<String> {
        ImageCols::<u8>::names()
    }
}

#[cfg(test)]
mod tests;
