//! The program chip's fixed table and main trace.

use geode_executor::Program;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::columns::{ProgramCols, ProgramPrepCols, program_message_values};
use crate::memory::padded_height;

/// The preprocessed table: one row per decoded instruction (pc = text_start + 4k), zero-padded
/// (pc 0 is never a text address: the text starts above the null guard).
pub(super) fn preprocessed(program: &Program) -> RowMajorMatrix<Val> {
    let width = ProgramPrepCols::<u8>::NUM_COLS;
    let insns = program.instructions();
    let mut values = Val::zero_vec(padded_height(insns.len()) * width);
    values[..insns.len() * width]
        .par_chunks_mut(width)
        .zip(insns.par_iter())
        .enumerate()
        .for_each(|(k, (row, insn))| {
            let cols = ProgramPrepCols::from_slice_mut(row);
            let pc = program.text_start() + 4 * k as u32;
            let message = program_message_values(pc, insn);
            for (cell, value) in cols.message.iter_mut().zip(message) {
                *cell = Val::from_u32(value);
            }
            cols.is_real = Val::ONE;
        });
    RowMajorMatrix::new(values, width)
}

/// The main trace: row `k` holds `counts[k]`, padding rows 0.
pub(super) fn main_trace(height: usize, counts: &[u32]) -> RowMajorMatrix<Val> {
    let width = ProgramCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(height * width);
    values[..counts.len() * width]
        .par_chunks_mut(width)
        .zip(counts.par_iter())
        .for_each(|(row, &count)| {
            ProgramCols::from_slice_mut(row).multiplicity = Val::from_u32(count);
        });
    RowMajorMatrix::new(values, width)
}
