//! The byte chip: the preprocessed table of byte relations ([`ByteOp`]) that every other chip
//! looks up on [`GeodeBus::Byte`](crate::bus::GeodeBus::Byte).

mod air;
pub mod columns;
#[cfg(test)]
mod tests;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::{Air, AirBuilder, BaseAir};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use self::columns::{ByteMultCols, ByteTableCols};
#[cfg(doc)]
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// Rows of the byte table: one per `(x, y)` with `x, y ∈ [0, 256)`.
pub const BYTE_TABLE_ROWS: usize = 1 << 16;

/// The byte table.
///
/// Row `r` has the fixed operands `x = r & 255`, `y = r >> 8` and, for each [`ByteOp`], a
/// multiplicity column; it provides `(op, ByteOp::entry(x, y))` with that multiplicity.
///
/// # Soundness
/// Proves nothing on its own; it makes every `Byte` lookup a true byte relation. Everything the
/// table provides is fixed by the verifying key: `x`, `y` and the results (`x & y`, `x | y`,
/// `x ^ y`, `x < y`, `x >> 7`) are preprocessed columns and `x + 256·y` is linear in them. The
/// prover chooses only the multiplicities, which may be any field elements: LogUp (given the
/// per-row bounds of the lookups and the height check) makes every looked-up tuple one of the
/// provided entries whatever they are. `Msb`'s entry `(x, x >> 7, 0)` ignores `y`, so its
/// multiplicity counts only on rows with `y = 0` (times the preprocessed `y_is_zero`): the table
/// is then exactly the entries of [`ByteOp::entry`], one row each. (Letting every row provide it
/// would also be sound, as each copy is a true relation, but the counts would not be unique.)
///
/// Assumes of the looking-up chips only that their counts respect the bounds they declare (0 or
/// 1 for `byte_lookup`), which LogUp's height check relies on; a lookup of any tuple the table
/// lacks, whatever its op, cannot balance.
#[derive(Clone, Copy, Debug, Default)]
pub struct ByteChip;

impl ByteChip {
    /// The multiplicities: each op's count at each row, as recorded by every chip's trace
    /// generation. Call it after all of them ran.
    pub fn generate_trace(&self, counter: &ByteCounter) -> RowMajorMatrix<Val> {
        trace::multiplicities(counter)
    }
}

impl BaseAir<Val> for ByteChip {
    fn width(&self) -> usize {
        ByteMultCols::<u8>::NUM_COLS
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        Some(trace::table())
    }

    fn preprocessed_width(&self) -> usize {
        ByteTableCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next rows would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for ByteChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for ByteChip {
    fn name(&self) -> &'static str {
        "byte"
    }

    fn column_names(&self) -> Vec<String> {
        ByteMultCols::<u8>::names()
    }
}
