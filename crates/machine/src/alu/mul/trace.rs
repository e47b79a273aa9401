//! Multiplication rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::columns::MulCols;
use crate::alu::{AluEvent, count_range_check, word_vals};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// Fills `row` from `event` and counts its byte lookups.
///
/// A false event (a result `op(b, c)` does not give) is written as claimed, for the constraints
/// to reject: generators trust the record, so the event-level tamper tests reach the AIR.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, a, b, c } = *event;
    // The operands extended to 64 bits, as the AIR sees them.
    let signed = |x: u32| i64::from(x as i32) as u64;
    let unsigned = u64::from;
    let (b64, c64) = match op {
        AluOp::Mul | AluOp::Mulhu => (unsigned(b), unsigned(c)),
        AluOp::Mulh => (signed(b), signed(c)),
        AluOp::Mulhsu => (signed(b), unsigned(c)),
        _ => unreachable!("routed by build_trace"),
    };
    let product = b64.wrapping_mul(c64);
    let (low, high) = (product as u32, (product >> 32) as u32);
    let rest = if op == AluOp::Mul { high } else { low };

    // The schoolbook columns and their carries, as the AIR computes them.
    let (bx, cx) = (b64.to_le_bytes(), c64.to_le_bytes());
    let pb = product.to_le_bytes();
    let mut carries = [0u32; 8];
    let mut carry = 0u64;
    for k in 0..8 {
        let column: u64 = (0..=k)
            .map(|i| u64::from(bx[i]) * u64::from(cx[k - i]))
            .sum();
        let total = column + carry;
        debug_assert_eq!(total & 0xff, u64::from(pb[k]));
        carry = total >> 8;
        carries[k] = carry as u32;
    }

    let (bb, cb) = (b.to_le_bytes(), c.to_le_bytes());
    let (msb_b, msb_c) = (bb[3] >> 7, cb[3] >> 7);
    let cols = MulCols::from_slice_mut(row);
    cols.a = word_vals(a);
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    cols.rest = word_vals(rest);
    cols.carry = carries.map(Val::from_u32);
    cols.is_mul = Val::from_bool(op == AluOp::Mul);
    cols.is_mulh = Val::from_bool(op == AluOp::Mulh);
    cols.is_mulhsu = Val::from_bool(op == AluOp::Mulhsu);
    cols.is_mulhu = Val::from_bool(op == AluOp::Mulhu);
    cols.msb_b = Val::from_u8(msb_b);
    cols.msb_c = Val::from_u8(msb_c);

    for carry in carries {
        counter.u16(u16::try_from(carry).expect("carries stay below 2^11"));
    }
    counter.add(ByteOp::Msb, [bb[3], msb_b, 0].map(u32::from));
    counter.add(ByteOp::Msb, [cb[3], msb_c, 0].map(u32::from));
    let bytes = MulCols {
        a: a.to_le_bytes(),
        b: bb,
        c: cb,
        rest: rest.to_le_bytes(),
        ..Default::default()
    };
    count_range_check(counter, &bytes.range_checked());
}
