//! The ADD/SUB constraints.

use geode_executor::AluOp;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::AddSubCols;
use crate::alu::{op_field, range_check, receive_alu};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = AddSubCols::from_slice(main.current_slice());

    builder.assert_bool(row.is_add);
    builder.assert_bool(row.is_sub);
    let is_real: AB::Expr = row.is_add + row.is_sub;
    builder.assert_bool(is_real.clone());

    // Both ops are one addition `x + c = s`: ADD has (x, s) = (b, a) and SUB, as `b = a + c`,
    // has (x, s) = (a, b). So `x − s = (is_add − is_sub)·(b − a)` and, byte by byte,
    // `x[i] + c[i] + carry[i−1] = s[i] + 256·carry[i]`. Every term is below 512, far below p,
    // so these hold over the integers and chain to `x + c = s + 2^32·carry[3]`.
    let sign: AB::Expr = row.is_add - row.is_sub;
    let mut carry_in = AB::Expr::ZERO;
    for i in 0..4 {
        builder.assert_bool(row.carry[i]);
        builder.assert_zero(
            sign.clone() * (row.b[i] - row.a[i]) + row.c[i] + carry_in
                - AB::Expr::from_u16(256) * row.carry[i],
        );
        carry_in = row.carry[i].into();
    }

    range_check(builder, &row.range_checked(), &is_real);
    let op = op_field::<AB>(&[(AluOp::Add, row.is_add), (AluOp::Sub, row.is_sub)]);
    let word = |w: [AB::Var; 4]| w.map(Into::into);
    receive_alu(
        builder,
        op,
        [word(row.a), word(row.b), word(row.c)],
        is_real,
    );
}
