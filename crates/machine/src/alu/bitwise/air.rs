//! The bitwise constraints: one byte-table lookup per byte.

use geode_executor::AluOp;
use geode_stark::Bus;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::BitwiseCols;
use crate::alu::{op_field, receive_alu};
use crate::bus::{ByteOp, GeodeBus};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = BitwiseCols::from_slice(main.current_slice());

    builder.assert_bool(row.is_xor);
    builder.assert_bool(row.is_or);
    builder.assert_bool(row.is_and);
    let is_real: AB::Expr = row.is_xor + row.is_or + row.is_and;
    builder.assert_bool(is_real.clone());

    // One lookup per byte whose op is selected by the (exclusive) flags, rather than one per
    // op and byte: 4 interactions instead of 12. On a real row it is exactly the row's op.
    let flag_times = |flag: AB::Var, op: ByteOp| AB::Expr::from_u8(op as u8) * flag;
    let byte_op = flag_times(row.is_xor, ByteOp::Xor)
        + flag_times(row.is_or, ByteOp::Or)
        + flag_times(row.is_and, ByteOp::And);
    for i in 0..4 {
        let entry = [
            byte_op.clone(),
            row.b[i].into(),
            row.c[i].into(),
            row.a[i].into(),
        ];
        GeodeBus::Byte.send(builder, entry, is_real.clone(), 1);
    }

    let op = op_field::<AB>(&[
        (AluOp::Xor, row.is_xor),
        (AluOp::Or, row.is_or),
        (AluOp::And, row.is_and),
    ]);
    let word = |w: [AB::Var; 4]| w.map(Into::into);
    receive_alu(
        builder,
        op,
        [word(row.a), word(row.b), word(row.c)],
        is_real,
    );
}
