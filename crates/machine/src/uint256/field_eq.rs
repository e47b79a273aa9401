//! The field-equation gadget: proves that an integer given by its limb coefficients is a
//! multiple of a 256-bit modulus.
//!
//! The caller writes an equation `e(x) ≡ 0 (mod M)` as coefficients `e_i` of `x = 256` (limb
//! products, sums and constants, degree ≤ 3 in the columns). The gadget witnesses the quotient
//! `q` (33 byte limbs) and the carries `c_0..c_63` of `E(x) = e(x) − q(x)·M(x) = (x − 256)·c(x)`,
//! and constrains, coefficient by coefficient,
//! `e_i − gate·((q·M)_i + c_{i−1} − 256·c_i) = 0` (with `c_{−1} = c_64 = 0`).
//!
//! # Soundness
//! Every `q_j` is a byte (`Pair` lookups) and every `c_i + CARRY_OFFSET` is below 2^16 (`U16`
//! lookups), so `|c_i| < 2^16`. If the caller's limbs are bytes and each `e_i` is a signed sum
//! of limb products with at most five 32-term products in all (plus some limbs and a constant),
//! `|e_i| < 2^24`; `(q·M)_i < 2^22`. So each constraint's left side is an integer of magnitude
//! below `2^24 + 2^22 + 2^16 + 2^24`, far below `p/2 ≈ 2^30`: the constraint holds over the integers, not just mod p. Summing
//! `256^i` times each constraint telescopes the carries away, so `e(256) = q·M` as integers,
//! i.e. `M` divides the value of `e`. (The carries' range is asymmetric around 0 through
//! [`CARRY_OFFSET`] because honest equations reach about `−16.4k..32.9k`; see `docs/chips.md`.)

use geode_stark::{Val, columns};
use num_bigint::{BigInt, BigUint, Sign};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::{EQ_COEFFS, LIMBS};
use crate::bus::{ByteOp, byte_lookup};
use crate::byte_counter::ByteCounter;

/// Quotient limbs: 33 bytes, enough for `e(256) < 2^264·M`.
pub const Q_LIMBS: usize = LIMBS + 1;
/// Stored carry = `c + CARRY_OFFSET`, checked below 2^16: carries in `[−24576, 40960)`.
pub const CARRY_OFFSET: i64 = 24_576;

columns! {
    /// The witness of one equation.
    pub struct FieldEqCols<T> {
        /// Quotient limbs 0..32 and the top limb.
        pub q: [T; LIMBS],
        pub q_top: T,
        /// `c_i + CARRY_OFFSET` for carries 0..32 and 32..64.
        pub carry: [[T; LIMBS]; 2],
    }
}

impl<T: Copy> FieldEqCols<T> {
    fn quotient(&self) -> Vec<T> {
        let mut q = self.q.to_vec();
        q.push(self.q_top);
        q
    }

    fn carries(&self) -> impl Iterator<Item = T> + '_ {
        self.carry.iter().flatten().copied()
    }
}

/// Constrains `e(256) = q·M` with the witness in `cols` on rows where `gate` (boolean) is 1; on
/// other rows `e` must vanish by itself. `e` has [`EQ_COEFFS`] coefficients; `modulus` is the
/// 32 limbs of `M` (constants or byte columns).
pub fn eval_field_eq<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &FieldEqCols<AB::Var>,
    e: &[AB::Expr],
    modulus: &[AB::Expr],
    gate: AB::Expr,
) {
    assert_eq!(
        e.len(),
        EQ_COEFFS,
        "an equation has {EQ_COEFFS} coefficients"
    );
    let q: Vec<AB::Expr> = cols.quotient().into_iter().map(Into::into).collect();
    let offset = AB::Expr::from_u32(CARRY_OFFSET as u32);
    let carries: Vec<AB::Expr> = cols.carries().map(|c| c.into() - offset.clone()).collect();
    let mut qm = vec![AB::Expr::ZERO; EQ_COEFFS];
    for (j, qj) in q.iter().enumerate() {
        for (k, mk) in modulus.iter().enumerate() {
            qm[j + k] += qj.clone() * mk.clone();
        }
    }
    let base = AB::Expr::from_u16(256);
    for (i, (ei, qmi)) in e.iter().zip(qm).enumerate() {
        let below = if i > 0 {
            carries[i - 1].clone()
        } else {
            AB::Expr::ZERO
        };
        let here = carries.get(i).cloned().unwrap_or(AB::Expr::ZERO);
        builder.assert_zero(ei.clone() - gate.clone() * (qmi + below - here * base.clone()));
    }
    for pair in q.chunks(2) {
        let second = pair.get(1).cloned().unwrap_or(AB::Expr::ZERO);
        byte_lookup(
            builder,
            ByteOp::Pair,
            pair[0].clone(),
            second,
            AB::Expr::ZERO,
            gate.clone(),
        );
    }
    for c in cols.carries() {
        byte_lookup(
            builder,
            ByteOp::U16,
            c.into(),
            AB::Expr::ZERO,
            AB::Expr::ZERO,
            gate.clone(),
        );
    }
}

/// Fills the witness of `e ≡ 0 (mod modulus)` for the coefficients `e` and counts its lookups.
///
/// For an honest equation the witness satisfies the constraints. For a false one (a forged
/// record) it writes the nearest witness it can, the floor quotient and clamped carries, and
/// leaves rejecting it to the constraints: trace generation trusts the record.
pub fn populate_field_eq(
    cols: &mut FieldEqCols<Val>,
    e: &[i64; EQ_COEFFS],
    modulus: &[u8; LIMBS],
    counter: &ByteCounter,
) {
    let value = e
        .iter()
        .rev()
        .fold(BigInt::ZERO, |acc, &c| acc * 256 + BigInt::from(c));
    let m = BigInt::from(BigUint::from_bytes_le(modulus));
    let q = if m.sign() == Sign::NoSign || value.sign() == Sign::Minus {
        BigInt::ZERO
    } else {
        &value / &m
    };
    let mut q_limbs = [0u8; Q_LIMBS];
    for (limb, b) in q_limbs.iter_mut().zip(q.magnitude().to_bytes_le()) {
        *limb = b;
    }

    let mut residual = *e;
    for (j, &qj) in q_limbs.iter().enumerate() {
        for (k, &mk) in modulus.iter().enumerate() {
            residual[j + k] -= i64::from(qj) * i64::from(mk);
        }
    }
    let mut below = 0i64;
    for (i, col) in cols.carry.iter_mut().flatten().enumerate() {
        let carry = (below - residual[i]).div_euclid(256);
        let stored = (carry + CARRY_OFFSET).clamp(0, (1 << 16) - 1) as u32;
        *col = Val::from_u32(stored);
        counter.add(ByteOp::U16, [stored, 0, 0]);
        below = carry;
    }
    for (col, &b) in cols.q.iter_mut().zip(&q_limbs) {
        *col = Val::from_u8(b);
    }
    cols.q_top = Val::from_u8(q_limbs[LIMBS]);
    for pair in q_limbs.chunks(2) {
        counter.pair(pair[0], pair.get(1).copied().unwrap_or(0));
    }
}
