//! Set-less-than rows from events.

use geode_executor::AluOp;
use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing};

use super::columns::LtCols;
use crate::alu::{AluEvent, count_range_check, word_vals};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

/// Fills `row` from `event` and counts its byte lookups.
///
/// A false event (a result `op(b, c)` does not give) is written as claimed, for the constraints
/// to reject: generators trust the record, so the event-level tamper tests reach the AIR.
pub(super) fn fill(event: &AluEvent, row: &mut [Val], counter: &ByteCounter) {
    let AluEvent { op, a, b, c } = *event;
    let (bb, cb) = (b.to_le_bytes(), c.to_le_bytes());
    let cols = LtCols::from_slice_mut(row);
    cols.result = Val::from_u32(a);
    cols.b = word_vals(b);
    cols.c = word_vals(c);
    cols.is_slt = Val::from_bool(op == AluOp::Slt);
    cols.is_sltu = Val::from_bool(op == AluOp::Sltu);
    let (mut b_diff, mut c_diff) = (0, 0);
    if let Some(i) = (0..4).rev().find(|&i| bb[i] != cb[i]) {
        (b_diff, c_diff) = (bb[i], cb[i]);
        cols.byte_flag[i] = Val::ONE;
        cols.diff_inv = (Val::from_u8(b_diff) - Val::from_u8(c_diff)).inverse();
    }
    cols.b_diff = Val::from_u8(b_diff);
    cols.c_diff = Val::from_u8(c_diff);
    cols.ltu = Val::from_bool(b < c);
    let (sign_b, sign_c) = (bb[3] >> 7, cb[3] >> 7);
    cols.sign_b = Val::from_u8(sign_b);
    cols.sign_c = Val::from_u8(sign_c);

    counter.add(
        ByteOp::Ltu,
        [b_diff, c_diff, u8::from(b < c)].map(u32::from),
    );
    counter.add(ByteOp::Msb, [bb[3], sign_b, 0].map(u32::from));
    counter.add(ByteOp::Msb, [cb[3], sign_c, 0].map(u32::from));
    let bytes = LtCols {
        b: bb,
        c: cb,
        ..Default::default()
    };
    count_range_check(counter, &bytes.range_checked());
}
