//! Shift rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::columns::ShiftCols;
use crate::alu::{AluEvent, count_range_check, word_vals};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// Fills `row` from `event` and counts its byte lookups.
///
/// A false event (a result `op(b, c)` does not give) is written as claimed, for the constraints
/// to reject: generators trust the record, so the event-level tamper tests reach the AIR.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, a, b, c } = *event;

    let c0 = c.to_le_bytes()[0];
    let (bit_shift, byte_shift, c0_hi) = (c0 & 7, (c0 >> 3) & 3, c0 >> 5);
    // mult = 2^exp (SLL) or 2^(exp + 1) (right shifts); see the columns.
    let exp = if op == AluOp::Sll {
        bit_shift
    } else {
        7 - bit_shift
    };
    let mult = if op == AluOp::Sll {
        1u32 << bit_shift
    } else {
        1u32 << (8 - bit_shift)
    };
    let bb = b.to_le_bytes();
    let products = bb.map(|x| u32::from(x) * mult);
    let (lo, hi) = (
        products.map(|p| (p & 0xff) as u8),
        products.map(|p| (p >> 8) as u8),
    );
    let msb = bb[3] >> 7;

    let cols = ShiftCols::from_slice_mut(row);
    cols.a = word_vals(a);
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    cols.is_sll = Val::from_bool(op == AluOp::Sll);
    cols.is_srl = Val::from_bool(op == AluOp::Srl);
    cols.is_sra = Val::from_bool(op == AluOp::Sra);
    cols.exp_bits = [0, 1, 2].map(|j| Val::from_u8((exp >> j) & 1));
    cols.pow_minus_one = Val::from_u8((1 << exp) - 1);
    cols.byte_flag[usize::from(byte_shift)] = Val::ONE;
    cols.c0_hi = Val::from_u8(c0_hi);
    cols.lo = lo.map(Val::from_u8);
    cols.hi = hi.map(Val::from_u8);
    cols.msb = Val::from_u8(msb);
    cols.sign = Val::from_bool(op == AluOp::Sra && msb == 1);

    counter.add(ByteOp::Msb, [bb[3], msb, 0].map(u32::from));
    counter.pair(c0_hi, 32 * c0_hi);
    let bytes = ShiftCols {
        b: bb,
        c: c.to_le_bytes(),
        lo,
        hi,
        ..Default::default()
    };
    count_range_check(counter, &bytes.range_checked());
}
