//! The set-less-than constraints.

use geode_executor::AluOp;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::LtCols;
use crate::alu::{op_field, range_check, receive_alu};
use crate::bus::{ByteOp, byte_lookup};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = LtCols::from_slice(main.current_slice());

    builder.assert_bool(row.is_slt);
    builder.assert_bool(row.is_sltu);
    let is_real: AB::Expr = row.is_slt + row.is_sltu;
    builder.assert_bool(is_real.clone());

    // The flagged byte is the most significant one where b and c differ: every byte above it
    // is equal (all of them if none is flagged) and the flagged bytes differ.
    let mut flagged = AB::Expr::ZERO;
    let (mut b_diff, mut c_diff) = (AB::Expr::ZERO, AB::Expr::ZERO);
    for i in (0..4).rev() {
        builder.assert_bool(row.byte_flag[i]);
        // `flagged` is now Σ_{k ≥ i} byte_flag[k]: 0 exactly for bytes above the flagged one.
        flagged += row.byte_flag[i].into();
        builder.assert_zero((AB::Expr::ONE - flagged.clone()) * (row.b[i] - row.c[i]));
        b_diff += row.byte_flag[i] * row.b[i];
        c_diff += row.byte_flag[i] * row.c[i];
    }
    builder.assert_bool(flagged.clone());
    builder.assert_eq(row.b_diff, b_diff);
    builder.assert_eq(row.c_diff, c_diff);
    builder.assert_eq((row.b_diff - row.c_diff) * row.diff_inv, flagged);

    // b <u c iff b_diff < c_diff at the first differing byte; with none, Ltu(0, 0) = 0.
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let zero = AB::Expr::ZERO;
    let lookups = [
        (ByteOp::Ltu, e(row.b_diff), e(row.c_diff), e(row.ltu)),
        // The sign bits; these lookups also range-check b[3] and c[3].
        (ByteOp::Msb, e(row.b[3]), e(row.sign_b), zero.clone()),
        (ByteOp::Msb, e(row.c[3]), e(row.sign_c), zero.clone()),
    ];
    for (op, x, y, z) in lookups {
        byte_lookup(builder, op, x, y, z, is_real.clone());
    }
    range_check(builder, &row.range_checked(), &is_real);

    // Signed: with equal signs the unsigned order is the signed one; with different signs
    // ltu = sign_c, and b < c iff b is the negative one: ltu + (sign_b − sign_c) = sign_b.
    builder.assert_eq(row.result, row.ltu + row.is_slt * (row.sign_b - row.sign_c));

    let op = op_field::<AB>(&[(AluOp::Slt, row.is_slt), (AluOp::Sltu, row.is_sltu)]);
    let a = [e(row.result), zero.clone(), zero.clone(), zero];
    receive_alu(builder, op, [a, row.b.map(e), row.c.map(e)], is_real);
}
