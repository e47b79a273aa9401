//! The ADD/SUB chip.

mod air;
pub mod columns;
#[cfg(test)]
mod tests;
mod trace;

use geode_executor::AluOp;
use geode_stark::{Chip, Val};
use p3_air::{Air, AirBuilder, BaseAir};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use self::columns::AddSubCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// Proves ADD and SUB (wrapping, on 32-bit words).
///
/// # Soundness
/// On every row with `is_real = is_add + is_sub = 1` (both flags boolean, so at most one set),
/// receives `(op, a, b, c)` on the ALU bus with `op = alu_op_id(Add)` or `alu_op_id(Sub)`,
/// and proves `a = b + c mod 2^32` (ADD) or `a + c = b mod 2^32`, i.e. `a = b − c mod 2^32`
/// (SUB): the 12 bytes of `a`, `b`, `c` are range-checked with six `Pair` lookups, the four
/// carries are boolean, and the byte-wise carry equations cannot wrap modulo p. Padding rows
/// (`is_real = 0`) receive and look up nothing. Assumes the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddSubChip;

impl AddSubChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 2] = [AluOp::Add, AluOp::Sub];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not an ADD or SUB, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = AddSubCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for AddSubChip {
    fn width(&self) -> usize {
        AddSubCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for AddSubChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for AddSubChip {
    fn name(&self) -> &'static str {
        "add_sub"
    }

    fn column_names(&self) -> Vec<String> {
        AddSubCols::<u8>::names()
    }
}
