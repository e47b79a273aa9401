//! Bitwise rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::columns::BitwiseCols;
use crate::alu::{AluEvent, word_vals};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// Fills `row` from `event` and counts its byte lookups.
///
/// A false event (a result `op(b, c)` does not give) is written as claimed, for the constraints
/// to reject: generators trust the record, so the event-level tamper tests reach the AIR.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, a, b, c } = *event;
    let byte_op = match op {
        AluOp::Xor => ByteOp::Xor,
        AluOp::Or => ByteOp::Or,
        AluOp::And => ByteOp::And,
        _ => unreachable!("routed by build_trace"),
    };

    let cols = BitwiseCols::from_slice_mut(row);
    cols.a = word_vals(a);
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    cols.is_xor = Val::from_bool(op == AluOp::Xor);
    cols.is_or = Val::from_bool(op == AluOp::Or);
    cols.is_and = Val::from_bool(op == AluOp::And);

    let (ab, bb, cb) = (a.to_le_bytes(), b.to_le_bytes(), c.to_le_bytes());
    for i in 0..4 {
        counter.add(byte_op, [bb[i], cb[i], ab[i]].map(u32::from));
    }
}
