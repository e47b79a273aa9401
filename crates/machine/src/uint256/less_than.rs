//! The less-than gadget: proves a 256-bit result `r` is below its modulus `m` by witnessing the
//! slack `s = m − 1 − r` and adding `r + s + 1 = m` limb by limb.
//!
//! # Soundness
//! Each `(r_k, s_k)` is a byte pair (one `Pair` lookup, which also range-checks the result the
//! caller writes), each carry is boolean, and `r_k + s_k + c_k = m_k + 256·c_{k+1}` with
//! `c_0 = 1` and `c_32 = 0`; both sides stay below 512, so the equations hold over the integers
//! and sum to `r + s + 1 = m`, i.e. `r < m` because `s ≥ 0`.

use geode_stark::{Val, columns};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::LIMBS;
use crate::bus::{ByteOp, byte_lookup};
use crate::byte_counter::ByteCounter;

columns! {
    /// The witness of `r < m`.
    pub struct LessThanCols<T> {
        /// `s = m − 1 − r`, little-endian bytes.
        pub slack: [T; LIMBS],
        /// Carries out of limbs 0..31 (the carry into limb 0 is 1, out of limb 31 is 0).
        pub carry: [T; LIMBS - 1],
    }
}

/// Constrains `r < m` and that every limb of `r` is a byte on rows where `gate` (boolean) is 1;
/// on other rows `r` and the witness must be 0.
pub fn eval_less_than<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &LessThanCols<AB::Var>,
    r: &[AB::Expr],
    m: &[AB::Expr],
    gate: AB::Expr,
) {
    let base = AB::Expr::from_u16(256);
    for k in 0..LIMBS {
        let carry_in = if k == 0 {
            gate.clone()
        } else {
            cols.carry[k - 1].into()
        };
        let carry_out = if k + 1 < LIMBS {
            builder.assert_bool(cols.carry[k]);
            cols.carry[k].into()
        } else {
            AB::Expr::ZERO
        };
        let slack: AB::Expr = cols.slack[k].into();
        builder.assert_zero(
            r[k].clone() + slack.clone() + carry_in
                - gate.clone() * m[k].clone()
                - carry_out * base.clone(),
        );
        byte_lookup(
            builder,
            ByteOp::Pair,
            r[k].clone(),
            slack,
            AB::Expr::ZERO,
            gate.clone(),
        );
    }
}

/// Fills the witness of `r < m` and counts its lookups. If `r ≥ m` (a forged record) the slack
/// wraps around 2^256 and the top carry's constraint rejects the row.
pub fn populate_less_than(
    cols: &mut LessThanCols<Val>,
    r: &[u8; LIMBS],
    m: &[u8; LIMBS],
    counter: &ByteCounter,
) {
    // s = m − 1 − r mod 2^256, limb by limb with borrows.
    let mut borrow = 1i32;
    let mut carry = 1u16;
    for k in 0..LIMBS {
        let d = i32::from(m[k]) - i32::from(r[k]) - borrow;
        let slack = d.rem_euclid(256) as u8;
        borrow = i32::from(d < 0);
        carry = (u16::from(r[k]) + u16::from(slack) + carry) >> 8;
        if k + 1 < LIMBS {
            cols.carry[k] = Val::from_u16(carry);
        }
        cols.slack[k] = Val::from_u8(slack);
        counter.pair(r[k], slack);
    }
}
