//! Division/remainder rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};

use super::columns::DivRemCols;
use super::{CARRY_OFFSET, GAP_CARRY_OFFSET};
use crate::alu::{AluEvent, count_range_check, word_vals};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// The quotient `Q` and remainder `r_s` a row witnesses for `op(b, c)`, as integers: truncating
/// division of the operands read signed (DIV, REM) or unsigned, `Q = 2^31` for
/// `i32::MIN / −1`, and `(−1, b)` (signed) or `(2^32 − 1, b)` (unsigned) for `c = 0`.
pub(super) fn divide(op: AluOp, b: u32, c: u32) -> (i64, i64) {
    let (b, c) = if is_signed(op) {
        (i64::from(b as i32), i64::from(c as i32))
    } else {
        (i64::from(b), i64::from(c))
    };
    match c {
        0 if is_signed(op) => (-1, b),
        0 => (i64::from(u32::MAX), b),
        _ => (b / c, b % c),
    }
}

fn is_signed(op: AluOp) -> bool {
    matches!(op, AluOp::Div | AluOp::Rem)
}

/// Fills `row` from `event` and counts its byte lookups.
///
/// The row holds the true quotient and remainder: the result it sends is the true one, so a
/// false event's claimed result is left unmatched on the ALU bus.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, b, c, .. } = *event;
    let (quotient, remainder) = divide(op, b, c);

    let cols = DivRemCols::from_slice_mut(row);
    let gap = assign(cols, op, b, c, quotient, remainder);
    debug_assert!((0..1 << 32).contains(&gap), "gap {gap} of {event:?}");

    // The lookups the AIR makes, from the cells (each panics unless it is a table entry).
    let byte = |v: Val| u8::try_from(v.as_canonical_u32()).expect("a byte");
    for (x, msb) in [
        (cols.b[3], cols.b_msb),
        (cols.c[3], cols.c_msb),
        (cols.r[3], cols.r_msb),
    ] {
        counter.add(
            ByteOp::Msb,
            [x, msb, Val::ZERO].map(|v| v.as_canonical_u32()),
        );
    }
    let gap_carry = cols.gap_carry + Val::from_u32(GAP_CARRY_OFFSET);
    counter.pair(byte(cols.gap[3]), byte(gap_carry));
    count_range_check(counter, &cols.range_checked().map(byte));
    for carry in cols.carry {
        let value = carry + Val::from_u32(CARRY_OFFSET);
        counter.add(ByteOp::U16, [value.as_canonical_u32(), 0, 0]);
    }
}

/// Fills `cols` for `op(b, c)` witnessed by the integers `quotient` and `remainder`, true or
/// not: `q`, `r` their low 32 bits, the top bits from the bytes, `q_hi = quotient < 0`,
/// `c_is_zero = (c = 0)`, and the rest by [`complete`] (whose gap it returns). Tests build a
/// false claim's best witness with it.
pub(super) fn assign(
    cols: &mut DivRemCols<Val>,
    op: AluOp,
    b: u32,
    c: u32,
    quotient: i64,
    remainder: i64,
) -> i64 {
    let r = remainder as u32;
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    cols.q = word_vals(quotient as u32);
    cols.r = word_vals(r);
    cols.is_div = Val::from_bool(op == AluOp::Div);
    cols.is_divu = Val::from_bool(op == AluOp::Divu);
    cols.is_rem = Val::from_bool(op == AluOp::Rem);
    cols.is_remu = Val::from_bool(op == AluOp::Remu);
    cols.b_msb = Val::from_u32(b >> 31);
    cols.c_msb = Val::from_u32(c >> 31);
    cols.r_msb = Val::from_u32(r >> 31);
    cols.q_hi = Val::from_bool(quotient < 0);
    cols.c_is_zero = Val::from_bool(c == 0);
    complete(cols)
}

/// Sets the cells that the others determine: `gap` to the low 32 bits of
/// `|c_s| − |r_s| − 1 + 2^32·c_is_zero` as the AIR reads the cells (which it returns, as an
/// integer), then the carries [`solve_carries`] gives.
pub(super) fn complete(cols: &mut DivRemCols<Val>) -> i64 {
    let signed = cols.is_div + cols.is_rem == Val::ONE;
    let int = |v: Val| i64::from(v.as_canonical_u32());
    // `|x| = (1 − 2·x_neg)·x_s` with `x_s = x − 2^32·x_neg`, as the AIR computes it.
    let magnitude = |w: [Val; 4], msb: Val| {
        let neg = if signed { int(msb) } else { 0 };
        let value = (0..4).rev().fold(0, |acc, i| (acc << 8) + int(w[i]));
        (1 - 2 * neg) * (value - (neg << 32))
    };
    let gap = magnitude(cols.c, cols.c_msb) - magnitude(cols.r, cols.r_msb) - 1
        + (int(cols.c_is_zero) << 32);
    cols.gap = word_vals(gap as u32);
    solve_carries(cols);
    gap
}

/// Sets `carry` and `gap_carry` to the values that make the first seven product equations and
/// the gap's low-half equation hold, given every other cell: field elements that are the small
/// integers the lookups accept exactly when the row's integer identities hold.
pub(super) fn solve_carries(cols: &mut DivRemCols<Val>) {
    let is_signed = cols.is_div + cols.is_rem;
    let is_real = is_signed + cols.is_divu + cols.is_remu;
    let [b_neg, c_neg, r_neg] = [cols.b_msb, cols.c_msb, cols.r_msb].map(|m| is_signed * m);
    let (q, c) = (cols.q, cols.c);
    let inv_256 = Val::from_u16(256).inverse();
    let mut carry = Val::ZERO;
    for byte in 0..7 {
        let mut digit: Val = (0..4)
            .filter(|&i| byte >= i && byte - i < 4)
            .map(|i| q[i] * c[byte - i])
            .sum();
        if byte < 4 {
            digit += cols.r[byte] - cols.b[byte];
        } else {
            digit -= cols.q_hi * c[byte - 4] + c_neg * q[byte - 4];
            if byte == 4 {
                digit -= r_neg - b_neg;
            }
        }
        carry = (digit + carry) * inv_256;
        cols.carry[byte] = carry;
    }

    let low = |w: [Val; 4]| w[0] + Val::from_u16(256) * w[1];
    let sigma = |neg: Val| Val::ONE - neg.double();
    let low_half =
        sigma(c_neg) * low(cols.c) - sigma(r_neg) * low(cols.r) - low(cols.gap) - is_real;
    cols.gap_carry = low_half * Val::from_u32(1 << 16).inverse();
}
