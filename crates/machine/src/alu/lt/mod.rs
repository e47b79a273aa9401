//! The set-less-than chip: SLT and SLTU.

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

use self::columns::LtCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// Proves SLT (signed) and SLTU (unsigned) on 32-bit words.
///
/// # Soundness
/// On every row with `is_real = is_slt + is_sltu = 1` (both flags boolean, so at most one set),
/// receives `(op, [result, 0, 0, 0], b, c)` on the ALU bus with `op = alu_op_id(Slt)` or
/// `alu_op_id(Sltu)`, and proves `result = (b < c)` with the flagged signedness:
/// - the bytes of `b`, `c` are range-checked (`Pair` lookups, and `Msb` for the top bytes);
/// - `byte_flag` has at most one bit set, every byte above the flagged one is equal in `b` and
///   `c` (all bytes, if none is flagged), and the flagged bytes differ (`diff_inv`), so the flag
///   marks the most significant differing byte, whose values are `b_diff`, `c_diff`;
/// - `ltu = (b_diff < c_diff)` by an `Ltu` lookup, which is `b <u c` (0 when `b = c`);
/// - `sign_b`, `sign_c` are the top bits by `Msb` lookups, and `result = ltu + is_slt·(sign_b −
///   sign_c)`: the unsigned order when the signs agree, else `sign_b` (negative < non-negative).
///
/// `result` is then boolean, so `a` is a range-checked word. Padding rows (`is_real = 0`)
/// receive and look up nothing. Assumes the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct LtChip;

impl LtChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 2] = [AluOp::Slt, AluOp::Sltu];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not an SLT or SLTU, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = LtCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for LtChip {
    fn width(&self) -> usize {
        LtCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for LtChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for LtChip {
    fn name(&self) -> &'static str {
        "lt"
    }

    fn column_names(&self) -> Vec<String> {
        LtCols::<u8>::names()
    }
}
