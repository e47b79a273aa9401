//! The bitwise chip: XOR, OR, AND.

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

use self::columns::BitwiseCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// Proves XOR, OR and AND on 32-bit words.
///
/// # Soundness
/// On every row with `is_real = is_xor + is_or + is_and = 1` (the flags boolean, so exactly one
/// set), receives `(op, a, b, c)` on the ALU bus with `op` the `alu_op_id` of the flagged op, and
/// looks up `(byte_op, b[i], c[i], a[i])` for each byte `i`, where `byte_op` is the matching
/// `ByteOp::Xor`, `Or` or `And`. The table only holds such entries with byte operands, so each
/// lookup both range-checks `a[i]`, `b[i]`, `c[i]` and proves `a[i] = b[i] op c[i]`; bitwise ops
/// act byte by byte, so `a = b op c`. Padding rows (`is_real = 0`) receive and look up nothing.
/// Assumes the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct BitwiseChip;

impl BitwiseChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 3] = [AluOp::Xor, AluOp::Or, AluOp::And];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not an XOR, OR or AND, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = BitwiseCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for BitwiseChip {
    fn width(&self) -> usize {
        BitwiseCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for BitwiseChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for BitwiseChip {
    fn name(&self) -> &'static str {
        "bitwise"
    }

    fn column_names(&self) -> Vec<String> {
        BitwiseCols::<u8>::names()
    }
}
