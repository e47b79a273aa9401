//! The program chip: the ELF's decoded text as a fixed table of Program-bus messages.
//!
//! # Soundness
//! The table is preprocessed from the ELF alone, one row per text word at its pc, so every
//! message is part of the verifying key; the main trace is one multiplicity column, and the chip
//! provides each row's message with it (padding rows, with `is_real = 0` in the fixed table,
//! are constrained to multiplicity 0). A balanced Program bus therefore proves that every
//! message the CPU sends is an instruction of this ELF at its address, with the flags this
//! chip derived from the decoder. The multiplicities need no range: LogUp balances each
//! message's sends against its provided multiplicity as field elements, and the CPU's sends
//! (one per row) cannot reach p.
//!
//! Words that do not decode (`Opcode::Illegal`) get a row with opcode `Illegal` and no class or
//! port flag, so a CPU that demands exactly one class flag per real row cannot run them (the
//! executor faults on them too). The chip assumes the CPU does demand that, and trusts nothing
//! else of other chips.

mod air;
pub mod columns;
mod trace;

use std::sync::Arc;

use geode_executor::Program;
use geode_stark::{Chip, Val};
use p3_air::BaseAir;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

pub use columns::{
    PROGRAM_MESSAGE_FIELDS, PROGRAM_MESSAGE_LEN, ProgramCols, ProgramPrepCols,
    program_message_values,
};

/// The program chip of one ELF.
#[derive(Clone, Debug)]
pub struct ProgramChip {
    prep: Arc<RowMajorMatrix<Val>>,
    instructions: usize,
}

impl ProgramChip {
    /// The chip for `program`'s decoded text ([`Program::instructions`]).
    pub fn new(program: &Program) -> Self {
        Self {
            prep: Arc::new(trace::preprocessed(program)),
            instructions: program.instructions().len(),
        }
    }

    /// The main trace: `counts[k]` is how many times the instruction at
    /// `text_start + 4k` ran.
    ///
    /// # Panics
    /// If `counts` does not have one entry per instruction.
    pub fn generate_trace(&self, counts: &[u32]) -> RowMajorMatrix<Val> {
        assert_eq!(counts.len(), self.instructions, "one count per instruction");
        trace::main_trace(self.prep.height(), counts)
    }
}

impl BaseAir<Val> for ProgramChip {
    fn width(&self) -> usize {
        ProgramCols::<u8>::NUM_COLS
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        Some((*self.prep).clone())
    }

    fn preprocessed_width(&self) -> usize {
        ProgramPrepCols::<u8>::NUM_COLS
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl Chip<Val> for ProgramChip {
    fn name(&self) -> &'static str {
        "program"
    }

    fn column_names(&self) -> Vec<String> {
        ProgramCols::<u8>::names()
    }
}

#[cfg(test)]
mod tests;
