//! The shift chip: SLL, SRL, SRA.

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

use self::columns::ShiftCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// Proves SLL, SRL and SRA on 32-bit words, by `c & 31` (RISC-V semantics).
///
/// # Soundness
/// On every row with `is_real = is_sll + is_srl + is_sra = 1` (the flags boolean, so exactly
/// one set), receives `(op, a, b, c)` on the ALU bus with `op` the `alu_op_id` of the flagged
/// op, and proves `a = b << (c & 31)`, `b >>ᵤ (c & 31)` or `b >>ₛ (c & 31)`:
/// - `b[0..3]`, `c[1..4]`, `lo`, `hi` are range-checked by `Pair` lookups, `b[3]` by the
///   `Msb` lookup that gives its top bit `msb`;
/// - the amount: `exp_bits` are boolean and `byte_flag` one-hot, so `bit_shift` (`e` for SLL,
///   `7 − e` otherwise, `e = Σ 2^j·exp_bits[j]`) is in `[0, 8)` and `byte_shift` in `[0, 4)`;
///   `Pair(c0_hi, 32·c0_hi)` puts `c0_hi` in `[0, 8)` (any other field element makes one of
///   the two a non-byte). `c[0] = bit_shift + 8·byte_shift + 32·c0_hi` is then an integer
///   identity below 256: `c[0]` is a byte and `c & 31 = bit_shift + 8·byte_shift`;
/// - `pow_minus_one = 2^e − 1` (a product of `1 + (2^(2^j) − 1)·bit`), so `mult` is exactly
///   `2^bit_shift` (SLL) or `2^(8 − bit_shift)` (right shifts), and `b[i]·mult = lo[i] +
///   256·hi[i]` holds over the integers (both sides `< 2^16`), so `lo`, `hi` are its true bytes;
/// - `sign = is_sra·msb` is the fill bit (0 for SRL and SLL);
/// - each `a[i]` equals the byte that the one-hot `byte_flag` selects: `lo[j] + hi[j−1]`, byte
///   `j = i − byte_shift` of `b << bit_shift` (0 below the word), or byte `j = i + byte_shift` of
///   the sign-extended `b` shifted right by `bit_shift`, `hi[j] + lo[j+1]`, whose sign bytes
///   contribute `sign·(256 − mult)` (`j = 3`) and `255·sign` (`j ≥ 4`). These are the true
///   result bytes, so `a` needs no range check of its own.
///
/// Every constraint has degree at most 3 and holds on an all-zero row. Padding rows
/// (`is_real = 0`) receive and look up nothing. Assumes the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShiftChip;

impl ShiftChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 3] = [AluOp::Sll, AluOp::Srl, AluOp::Sra];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not an SLL, SRL or SRA, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = ShiftCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for ShiftChip {
    fn width(&self) -> usize {
        ShiftCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for ShiftChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for ShiftChip {
    fn name(&self) -> &'static str {
        "shift"
    }

    fn column_names(&self) -> Vec<String> {
        ShiftCols::<u8>::names()
    }
}
