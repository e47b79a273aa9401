//! The byte table's constraints: none on the cells, one provided entry per op and row.

use geode_stark::Bus;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::{ByteMultCols, ByteTableCols};
use crate::bus::{ByteOp, GeodeBus};

/// Provides, for every op, this row's entry `(op, x, y, z)` with the op's multiplicity.
pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    // Copied out so the borrow of `builder` ends before the interactions are pushed.
    let prep = builder.preprocessed().clone();
    let table = ByteTableCols::from_slice(prep.current_slice());
    let main = builder.main();
    let mult = ByteMultCols::from_slice(main.current_slice());

    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let zero = AB::Expr::ZERO;
    for op in ByteOp::ALL {
        // Each arm mirrors `ByteOp::entry`; the tests check the two agree on every row.
        let [x, y, z] = match op {
            ByteOp::Pair => [e(table.x), e(table.y), zero.clone()],
            ByteOp::And => [e(table.x), e(table.y), e(table.and)],
            ByteOp::Or => [e(table.x), e(table.y), e(table.or)],
            ByteOp::Xor => [e(table.x), e(table.y), e(table.xor)],
            ByteOp::Ltu => [e(table.x), e(table.y), e(table.ltu)],
            // Linear in the fixed columns, so it needs no column of its own.
            ByteOp::U16 => [
                e(table.x) + AB::Expr::from_u16(256) * table.y,
                zero.clone(),
                zero.clone(),
            ],
            ByteOp::Msb => [e(table.x), e(table.msb), zero.clone()],
        };
        let count = match op {
            // Rows with y ≠ 0 would repeat x's entry; gating keeps the table exactly
            // `ByteOp::entry` (one row per entry), so a multiplicity placed there provides nothing.
            ByteOp::Msb => e(mult.msb) * table.y_is_zero,
            _ => e(*mult.get(op)),
        };
        let op = AB::Expr::from_u8(op as u8);
        GeodeBus::Byte.provide(builder, [op, x, y, z], count);
    }
}
