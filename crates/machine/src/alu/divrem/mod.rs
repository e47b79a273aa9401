//! The division chip: DIV, DIVU, REM and REMU.

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

use self::columns::DivRemCols;
use super::{AluEvent, build_trace};
use crate::byte_counter::ByteCounter;

/// What the `U16` lookup of a product carry adds to it: carries are signed.
const CARRY_OFFSET: u32 = 1 << 15;
/// What the `Pair` lookup of the gap carry adds to it (the carry is at least −3).
const GAP_CARRY_OFFSET: u32 = 3;

/// Proves DIV, DIVU, REM and REMU on 32-bit words, with RISC-V semantics: the quotient rounds
/// toward zero, the remainder has the dividend's sign; dividing by zero gives the quotient
/// `0xffff_ffff` and the remainder `b`; DIV's `i32::MIN / −1` overflows to `i32::MIN`
/// (remainder 0).
///
/// # Soundness
/// On every row with `is_real = is_div + is_divu + is_rem + is_remu = 1` (all flags boolean, so
/// exactly one set), receives `(op, a, b, c)` on the ALU bus with `op = alu_op_id` of the flagged
/// op and `a = q` (DIV, DIVU) or `a = r` (REM, REMU). Write `x_s = x − 2^32·x_neg` for the word
/// `x` read signed (DIV, REM; `x_neg` its top bit) or unsigned (`x_neg = 0`). The row proves:
/// - the bytes of `b`, `c`, `q`, `r` and `gap` are bytes (`Pair` lookups; `Msb` for the top
///   bytes of `b`, `c`, `r`, which also give their top bits), so `a` is a range-checked word;
/// - `b_s = Q·c_s + r_s` over the integers, where `Q = q − 2^32·q_hi` with `q_hi` boolean and
///   0 for unsigned ops, so `Q ∈ [−2^32, 2^32)`: a byte-schoolbook chain of eight equations
///   whose seven carries are bounded by `U16` lookups (the last carry is the `2^64` term).
///   Every equation is below 2^24 in absolute value, far below p, so none wraps;
/// - `c_is_zero` is boolean and set only if `c = 0`; then `q = 0xffff_ffff`, and the identity
///   gives `r_s = b_s`;
/// - `|c_s| − |r_s| − 1 + 2^32·c_is_zero = gap ∈ [0, 2^32)`, in two 16-bit halves whose carry
///   is range-checked: with `c_is_zero = 0` this is `|r_s| < |c_s|`, which also makes
///   `c_is_zero = 0` impossible when `c = 0`;
/// - for signed ops, `r_s = 0` or `r` and `b` have the same top bit.
///
/// For `c ≠ 0` these are the conditions of truncating division, which has one solution
/// `(Q, r_s)`: `Q = trunc(b_s / c_s)` (the integer `2^31` for `i32::MIN / −1`) and `r_s` the
/// remainder with `b`'s sign. `q = Q mod 2^32` is then RISC-V's quotient (wrapped on overflow)
/// and `r` its remainder; for `c = 0`, `q = 0xffff_ffff` and `r = b`. Padding rows
/// (`is_real = 0`) receive and look up nothing. Every constraint has degree at most 3. Assumes
/// the byte table is sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct DivRemChip;

impl DivRemChip {
    /// The ops this chip proves.
    pub const OPS: [AluOp; 4] = [AluOp::Div, AluOp::Divu, AluOp::Rem, AluOp::Remu];

    /// One row per event (padded to a power of two), counting its byte lookups in `counter`.
    ///
    /// # Panics
    /// If an event is not a DIV, DIVU, REM or REMU, or its result is wrong.
    pub fn generate_trace(
        &self,
        events: &[AluEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        let width = DivRemCols::<u8>::NUM_COLS;
        build_trace(self.name(), &Self::OPS, width, events, |e, row| {
            trace::fill(e, row, counter);
        })
    }
}

impl BaseAir<Val> for DivRemChip {
    fn width(&self) -> usize {
        DivRemCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row: opening the next row would be wasted work.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for DivRemChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for DivRemChip {
    fn name(&self) -> &'static str {
        "divrem"
    }

    fn column_names(&self) -> Vec<String> {
        DivRemCols::<u8>::names()
    }
}
