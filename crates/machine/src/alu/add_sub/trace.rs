//! ADD/SUB rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::columns::AddSubCols;
use crate::alu::{AluEvent, count_range_check, word_vals};
use crate::byte_counter::ByteCounter;

/// Fills `row` from `event` and counts its byte lookups.
///
/// A false event (a result `op(b, c)` does not give) is written as claimed, for the constraints
/// to reject: generators trust the record, so the event-level tamper tests reach the AIR.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, a, b, c } = *event;
    // The addition `x + c = s` the row proves (see the AIR).
    let x = match op {
        AluOp::Add => b,
        AluOp::Sub => a,
        _ => unreachable!("routed by build_trace"),
    };

    let cols = AddSubCols::from_slice_mut(row);
    cols.a = word_vals(a);
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    let (xb, cb) = (x.to_le_bytes(), c.to_le_bytes());
    let mut carry = 0;
    for i in 0..4 {
        carry = (u32::from(xb[i]) + u32::from(cb[i]) + carry) >> 8;
        cols.carry[i] = Val::from_u32(carry);
    }
    cols.is_add = Val::from_bool(op == AluOp::Add);
    cols.is_sub = Val::from_bool(op == AluOp::Sub);

    let bytes = AddSubCols {
        a: a.to_le_bytes(),
        b: b.to_le_bytes(),
        c: c.to_le_bytes(),
        ..Default::default()
    };
    count_range_check(counter, &bytes.range_checked());
}
