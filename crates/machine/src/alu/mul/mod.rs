//! The multiplication chip: MUL, MULH, MULHSU, MULHU.

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

use self::columns::MulCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// Proves MUL (the low word of `b·c`) and MULH, MULHSU, MULHU (the high word of the 64-bit
/// product of `b` and `c` read as signed·signed, signed·unsigned and unsigned·unsigned).
///
/// # Soundness
/// On every row with `is_real = is_mul + is_mulh + is_mulhsu + is_mulhu = 1` (the flags
/// boolean, so exactly one set), receives `(op, a, b, c)` on the ALU bus with `op` the
/// `alu_op_id` of the flagged op, and proves that `a` is the flagged word of the product:
/// - `a`, `rest`, `b[0..3]`, `c[0..3]` are range-checked by `Pair` lookups, `b[3]` and `c[3]`
///   by the `Msb` lookups that give their top bits `msb_b`, `msb_c`;
/// - `b` is extended to 64 bits with four `255·b_sign` bytes, `b_sign = (is_mulh +
///   is_mulhsu)·msb_b`, and `c` with `c_sign = is_mulh·msb_c`: the two's complement extension
///   of a signed operand, zero for an unsigned one;
/// - the 8 bytes of the product are `(a, rest)` for MUL and `(rest, a)` otherwise; for each
///   byte column `k < 8` of the schoolbook product of the extensions (at most `8·255² < 2^19`),
///   `column[k] + carry[k−1] = product[k] + 256·carry[k]` with every `carry` checked below 2^16
///   by a `U16` lookup: both sides are below `2^24 < p`, so the equations hold over the
///   integers and give `b_ext·c_ext ≡ product (mod 2^64)`. The columns `k ≥ 8` are multiples
///   of 2^64, and `b_ext·c_ext mod 2^64` is the signed/unsigned 64-bit product of RISC-V.
///
/// Every constraint has degree at most 3 and holds on an all-zero row. Padding rows
/// (`is_real = 0`) receive and look up nothing. Assumes the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct MulChip;

impl MulChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 4] = [AluOp::Mul, AluOp::Mulh, AluOp::Mulhsu, AluOp::Mulhu];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not a MUL, MULH, MULHSU or MULHU, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = MulCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for MulChip {
    fn width(&self) -> usize {
        MulCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for MulChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for MulChip {
    fn name(&self) -> &'static str {
        "mul"
    }

    fn column_names(&self) -> Vec<String> {
        MulCols::<u8>::names()
    }
}
