//! The shift constraints.

use geode_executor::AluOp;
use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::columns::ShiftCols;
use crate::alu::{op_field, range_check, receive_alu};
use crate::bus::{ByteOp, byte_lookup};

pub(super) fn eval<AB: AirBuilder + InteractionBuilder>(builder: &mut AB) {
    let main = builder.main();
    let row = ShiftCols::from_slice(main.current_slice());
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let k = |n: u16| AB::Expr::from_u16(n);

    builder.assert_bool(row.is_sll);
    builder.assert_bool(row.is_srl);
    builder.assert_bool(row.is_sra);
    let is_right: AB::Expr = row.is_srl + row.is_sra;
    let is_real: AB::Expr = is_right.clone() + row.is_sll;
    builder.assert_bool(is_real.clone());

    // The exponent e ∈ [0, 8) and pow_minus_one = 2^e − 1 (degree 3; 0 when the bits are).
    let mut exp = AB::Expr::ZERO;
    let mut pow = AB::Expr::ONE;
    for (j, &bit) in row.exp_bits.iter().enumerate() {
        builder.assert_bool(bit);
        exp += k(1 << j) * bit;
        // 1 + (2^(2^j) − 1)·bit is 2^(2^j) when the bit is set, else 1.
        pow *= AB::Expr::ONE + k((1 << (1 << j)) - 1) * bit;
    }
    builder.assert_eq(row.pow_minus_one, pow - AB::Expr::ONE);

    // The byte shift, one-hot on real rows.
    let mut flags = AB::Expr::ZERO;
    let mut byte_shift = AB::Expr::ZERO;
    for (s, &flag) in row.byte_flag.iter().enumerate() {
        builder.assert_bool(flag);
        flags += e(flag);
        byte_shift += k(s as u16) * flag;
    }
    builder.assert_eq(flags, is_real.clone());

    // c[0] = bit_shift + 8·byte_shift + 32·c0_hi, with bit_shift = e (SLL) or 7 − e (right
    // shifts). bit_shift < 8, byte_shift < 4 and c0_hi < 8 (its lookup below), so the right
    // side is an integer below 256: c[0] is a byte and s = c[0] & 31.
    let bit_shift = e(row.is_sll) * exp.clone() + is_right.clone() * (k(7) - exp);
    builder.assert_eq(row.c[0], bit_shift + k(8) * byte_shift + k(32) * row.c0_hi);

    // mult = 2^e (SLL) or 2^(e+1) (right shifts), and b[i]·mult = lo[i] + 256·hi[i]. With
    // b[i] < 256, mult ≤ 256 and lo, hi bytes, both sides are integers below 2^16 < p: lo and
    // hi are the true low and high bytes of b[i]·mult.
    let pow = e(row.pow_minus_one) + AB::Expr::ONE;
    let mult = pow * (e(row.is_sll) + k(2) * is_right.clone());
    for i in 0..4 {
        builder.assert_eq(row.b[i] * mult.clone(), row.lo[i] + k(256) * row.hi[i]);
    }

    // The fill bit: the top bit of b on SRA rows, else 0.
    builder.assert_eq(row.sign, row.is_sra * row.msb);

    // Byte j of b << bit_shift is lo[j] + hi[j−1]. Byte j of the 8-byte extension of b (with
    // sign·0xff bytes) shifted right by bit_shift is hi[j] + lo[j+1], where the sign bytes
    // have hi = sign·(mult − 1) and lo = sign·(256 − mult) = sign·(254 − 2·pow_minus_one)
    // (sign is 0 unless mult = 2·pow): byte 3 is hi[3] + that lo, bytes 4.. are 255·sign.
    let left = |j: isize| -> AB::Expr {
        match j {
            0 => e(row.lo[0]),
            1..=3 => row.lo[j as usize] + row.hi[j as usize - 1],
            _ => AB::Expr::ZERO,
        }
    };
    let right = |j: usize| -> AB::Expr {
        match j {
            0..=2 => row.hi[j] + row.lo[j + 1],
            3 => e(row.hi[3]),
            _ => AB::Expr::ZERO,
        }
    };
    let fill = |j: usize| -> AB::Expr {
        match j {
            0..=2 => AB::Expr::ZERO,
            3 => e(row.sign) * (k(254) - k(2) * row.pow_minus_one),
            _ => e(row.sign) * k(255),
        }
    };
    // a[i] is byte i − byte_shift of the left-shifted word (SLL) or byte i + byte_shift of the
    // right-shifted one; each term has degree 3.
    for i in 0..4 {
        let mut selected = AB::Expr::ZERO;
        for (s, &flag) in row.byte_flag.iter().enumerate() {
            let shifted = e(row.is_sll) * left(i as isize - s as isize)
                + is_right.clone() * right(i + s)
                + fill(i + s);
            selected += e(flag) * shifted;
        }
        builder.assert_eq(row.a[i], selected);
    }

    // The top bit of b (also range-checks b[3]); c0_hi < 8 as both it and 32·c0_hi are bytes.
    byte_lookup(
        builder,
        ByteOp::Msb,
        row.b[3].into(),
        row.msb.into(),
        AB::Expr::ZERO,
        is_real.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        row.c0_hi.into(),
        k(32) * row.c0_hi,
        AB::Expr::ZERO,
        is_real.clone(),
    );
    range_check(builder, &row.range_checked(), &is_real);

    let op = op_field::<AB>(&[
        (AluOp::Sll, row.is_sll),
        (AluOp::Srl, row.is_srl),
        (AluOp::Sra, row.is_sra),
    ]);
    let word = |w: [AB::Var; 4]| w.map(Into::into);
    receive_alu(
        builder,
        op,
        [word(row.a), word(row.b), word(row.c)],
        is_real,
    );
}
