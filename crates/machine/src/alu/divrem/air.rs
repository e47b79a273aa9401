//! The division/remainder constraints.

use geode_executor::AluOp;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::DivRemCols;
use super::{CARRY_OFFSET, GAP_CARRY_OFFSET};
use crate::alu::{op_field, range_check, receive_alu};
use crate::bus::{ByteOp, byte_lookup};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = DivRemCols::from_slice(main.current_slice());
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let k = |n: u32| AB::Expr::from_u32(n);

    let flags = [row.is_div, row.is_divu, row.is_rem, row.is_remu];
    for flag in flags {
        builder.assert_bool(flag);
    }
    let is_real: AB::Expr = flags.into_iter().map(e).sum();
    builder.assert_bool(is_real.clone());
    let is_signed: AB::Expr = row.is_div + row.is_rem;

    // Signs (degree 2): the top bits for DIV and REM, 0 for DIVU and REMU. So every value below
    // is `x_s = x − 2^32·x_neg`, the word as the op reads it.
    let b_neg = is_signed.clone() * row.b_msb;
    let c_neg = is_signed.clone() * row.c_msb;
    let r_neg = is_signed.clone() * row.r_msb;
    builder.assert_bool(row.q_hi);
    builder.assert_zero(row.q_hi * (AB::Expr::ONE - is_signed.clone()));

    // b_s = Q·c_s + r_s with Q = q − 2^32·q_hi, expanded:
    //   q·c + r − b − 2^32·(q_hi·c + c_neg·q + r_neg − b_neg) + 2^64·q_hi·c_neg = 0,
    // byte by byte with signed carries: digit k of the left side plus carry[k−1] equals
    // 256·carry[k], and the carry out of byte 7 is −q_hi·c_neg. Every digit is below 2^19 in
    // absolute value and every carry below 2^15 (lookups), so no equation wraps mod p and they
    // chain to the integer identity.
    let (q, c) = (row.q.map(e), row.c.map(e));
    let mut carry_in = AB::Expr::ZERO;
    for byte in 0..8 {
        let mut digit: AB::Expr = (0..4)
            .filter(|&i| byte >= i && byte - i < 4)
            .map(|i| q[i].clone() * c[byte - i].clone())
            .sum();
        if byte < 4 {
            digit += row.r[byte] - row.b[byte];
        } else {
            digit -= row.q_hi * c[byte - 4].clone() + c_neg.clone() * q[byte - 4].clone();
            if byte == 4 {
                digit -= r_neg.clone() - b_neg.clone();
            }
        }
        let carry_out = if byte < 7 {
            e(row.carry[byte])
        } else {
            -(c_neg.clone() * row.q_hi)
        };
        builder.assert_zero(digit + carry_in - k(256) * carry_out.clone());
        carry_in = carry_out;
    }

    // |c| − |r| − 1 + 2^32·c_is_zero = gap, with |x| = (1 − 2·x_neg)·x_s: in 16-bit halves,
    // the low half's carry is gap_carry, the high half's −(c_neg − r_neg + c_is_zero) (the
    // 2^32·x_neg of x_s, whose sign flips with |x|). With gap_carry ∈ [−3, 252] (its lookup)
    // every term stays below 2^25: no wrap.
    let half = |w: [AB::Var; 4], h: usize| e(w[2 * h]) + k(256) * w[2 * h + 1];
    let sigma_c = AB::Expr::ONE - c_neg.clone().double();
    let sigma_r = AB::Expr::ONE - r_neg.clone().double();
    let gap_half = |h: usize| {
        sigma_c.clone() * half(row.c, h) - sigma_r.clone() * half(row.r, h) - half(row.gap, h)
    };
    builder.assert_zero(gap_half(0) - is_real.clone() - k(1 << 16) * row.gap_carry);
    builder.assert_zero(gap_half(1) + row.gap_carry - k(1 << 16) * (r_neg - c_neg - row.c_is_zero));

    // Division by zero: the flag is set only if c = 0 (bytes, so their sum is 0 only then), and
    // then q = 0xffff_ffff. With c = 0 and the flag clear, the gap would be −|r| − 1 < 0.
    let sum = |w: [AB::Var; 4]| -> AB::Expr { w.into_iter().map(e).sum() };
    builder.assert_bool(row.c_is_zero);
    builder.assert_zero(row.c_is_zero * sum(row.c));
    builder.assert_zero(row.c_is_zero * (k(4 * 255) - sum(row.q)));

    // Signed ops: a nonzero remainder has the dividend's sign.
    builder.assert_zero(is_signed * (row.r_msb - row.b_msb) * sum(row.r));

    let zero = AB::Expr::ZERO;
    let lookups = [
        // The top bits; these lookups also range-check b[3], c[3] and r[3].
        (ByteOp::Msb, e(row.b[3]), e(row.b_msb)),
        (ByteOp::Msb, e(row.c[3]), e(row.c_msb)),
        (ByteOp::Msb, e(row.r[3]), e(row.r_msb)),
        (
            ByteOp::Pair,
            e(row.gap[3]),
            row.gap_carry + k(GAP_CARRY_OFFSET),
        ),
    ];
    for (op, x, y) in lookups {
        byte_lookup(builder, op, x, y, zero.clone(), is_real.clone());
    }
    range_check(builder, &row.range_checked(), &is_real);
    for carry in row.carry {
        let value = carry + k(CARRY_OFFSET);
        byte_lookup(
            builder,
            ByteOp::U16,
            value,
            zero.clone(),
            zero.clone(),
            is_real.clone(),
        );
    }

    let op = op_field::<AB>(&[
        (AluOp::Div, row.is_div),
        (AluOp::Divu, row.is_divu),
        (AluOp::Rem, row.is_rem),
        (AluOp::Remu, row.is_remu),
    ]);
    // a is q or r by op: degree 2 in the message, so the receive's LogUp constraint has degree 3.
    let (is_quotient, is_remainder) = (row.is_div + row.is_divu, row.is_rem + row.is_remu);
    let a =
        std::array::from_fn(|i| is_quotient.clone() * row.q[i] + is_remainder.clone() * row.r[i]);
    receive_alu(builder, op, [a, row.b.map(e), c], is_real);
}
