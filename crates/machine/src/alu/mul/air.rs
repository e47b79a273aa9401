//! The multiplication constraints.

use geode_executor::AluOp;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::MulCols;
use crate::alu::{op_field, range_check, receive_alu};
use crate::bus::{ByteOp, byte_lookup};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = MulCols::from_slice(main.current_slice());
    let e = |v: AB::Var| -> AB::Expr { v.into() };

    builder.assert_bool(row.is_mul);
    builder.assert_bool(row.is_mulh);
    builder.assert_bool(row.is_mulhsu);
    builder.assert_bool(row.is_mulhu);
    let is_high: AB::Expr = row.is_mulh + row.is_mulhsu + row.is_mulhu;
    let is_real: AB::Expr = is_high.clone() + row.is_mul;
    builder.assert_bool(is_real.clone());

    // The extension bits: b is signed for MULH and MULHSU, c for MULH. Each is 0 or the top
    // bit (boolean by its Msb lookup), and its extension bytes are 255·sign.
    let b_sign: AB::Expr = (row.is_mulh + row.is_mulhsu) * row.msb_b;
    let c_sign: AB::Expr = row.is_mulh * row.msb_c;

    // The 8 bytes of the product: (a, rest) for MUL, (rest, a) otherwise.
    let product = |k: usize| -> AB::Expr {
        let (low, high) = if k < 4 {
            (row.a[k], row.rest[k])
        } else {
            (row.rest[k - 4], row.a[k - 4])
        };
        e(row.is_mul) * low + is_high.clone() * high
    };

    // Column k of the schoolbook product of the 8-byte extensions, mod 2^64 (the columns
    // k ≥ 8 are multiples of 2^64; no column below 8 pairs two extension bytes):
    // Σ_{i+j=k} b[i]·c[j] + 255·b_sign·Σ_{j ≤ k−4} c[j] + 255·c_sign·Σ_{i ≤ k−4} b[i].
    // It is at most 8·255² < 2^19 and the carries are U16-checked, so
    // `column + carry[k−1] = product[k] + 256·carry[k]` has both sides below 2^24 < p: it holds
    // over the integers and the carries chain it to b·c = product (mod 2^64).
    let mut carry_in = AB::Expr::ZERO;
    for k in 0..8 {
        let mut column = AB::Expr::ZERO;
        for i in 0..4 {
            if k >= i && k - i < 4 {
                column += row.b[i] * row.c[k - i];
            }
        }
        if k >= 4 {
            let sum = |w: [AB::Var; 4]| -> AB::Expr { w[..=k - 4].iter().map(|&x| e(x)).sum() };
            let ff = AB::Expr::from_u8(255);
            column += ff.clone() * b_sign.clone() * sum(row.c);
            column += ff * c_sign.clone() * sum(row.b);
        }
        builder.assert_eq(
            column + carry_in,
            product(k) + AB::Expr::from_u16(256) * row.carry[k],
        );
        carry_in = row.carry[k].into();
    }

    for carry in row.carry {
        byte_lookup(
            builder,
            ByteOp::U16,
            carry.into(),
            AB::Expr::ZERO,
            AB::Expr::ZERO,
            is_real.clone(),
        );
    }
    // The top bits (these lookups also range-check b[3] and c[3]).
    for (x, msb) in [(row.b[3], row.msb_b), (row.c[3], row.msb_c)] {
        byte_lookup(
            builder,
            ByteOp::Msb,
            x.into(),
            msb.into(),
            AB::Expr::ZERO,
            is_real.clone(),
        );
    }
    range_check(builder, &row.range_checked(), &is_real);

    let op = op_field::<AB>(&[
        (AluOp::Mul, row.is_mul),
        (AluOp::Mulh, row.is_mulh),
        (AluOp::Mulhsu, row.is_mulhsu),
        (AluOp::Mulhu, row.is_mulhu),
    ]);
    let word = |w: [AB::Var; 4]| w.map(Into::into);
    receive_alu(
        builder,
        op,
        [word(row.a), word(row.b), word(row.c)],
        is_real,
    );
}
