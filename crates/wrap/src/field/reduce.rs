//! The constraints behind reductions and equality checks: the canonical check on a remainder
//! (`lo + 2^24·hi < p`) and the assertion that an integer is a multiple of `p` (module docs,
//! `# Soundness`).

use ff::Field as _;

use super::{Bound, P64};
use crate::ctx::{Ctx, Fp, Var};

/// `2^24`: the canonical check splits a remainder into 24 low and 7 high bits.
pub(super) const LOW_BITS: u32 = 24;
const HIGH_BITS: u32 = 7;
/// `hi` of `p − 1 = 127·2^24`.
const HIGH_OF_P_MINUS_ONE: u64 = 127;

/// Witnesses `lo = v mod 2^24` and `hi = v >> 24`, range-checks them to 24 and 7 bits, and
/// asserts `hi = 127 ⇒ lo = 0`, so that `lo + 2^24·hi < p` (module docs, `# Soundness`).
pub(super) fn canonical_limbs(ctx: &mut Ctx, v: u64) -> [Var; 2] {
    let lo = ctx.witness(Fp::from(v & ((1 << LOW_BITS) - 1)));
    let hi = ctx.witness(Fp::from(v >> LOW_BITS));
    ctx.range_check(lo, LOW_BITS);
    ctx.range_check(hi, HIGH_BITS);
    // lo · ((hi − 127)·t + 1) = 0, t = −1/(hi − 127) when hi ≠ 127.
    let u = ctx.add_const(hi, -Fp::from(HIGH_OF_P_MINUS_ONE));
    let t = Option::<Fp>::from(ctx.value(u).invert()).map_or(Fp::ZERO, |inv| -inv);
    let t = ctx.witness(t);
    let ut = ctx.mul(u, t);
    let zero = ctx.mul_add(lo, ut, lo);
    ctx.assert_zero(zero);
    [lo, hi]
}

pub(super) fn recompose(ctx: &mut Ctx, lo: Var, hi: Var) -> Var {
    ctx.linear(&[(Fp::from(1 << LOW_BITS), hi), (Fp::ONE, lo)], Fp::ZERO)
}

/// Asserts that the integer `Σ c_i·x_i + offset`, which the caller guarantees lies in
/// `[0, max]`, is a multiple of `p`: witnesses `q`, range-checks it to the bits `⌊max/p⌋`
/// needs, and asserts `Σ c_i·x_i + offset − q·p = 0`.
pub(super) fn assert_multiple_of_p(ctx: &mut Ctx, terms: &[(Fp, Var)], offset: Bound, max: Bound) {
    let q_bits = max.quotient_bits();
    let mut terms = terms.to_vec();
    if q_bits > 0 {
        let d = terms
            .iter()
            .fold(offset.to_fp(), |acc, &(c, x)| acc + c * ctx.value(x));
        let (q, _) = Bound::from_fp(d).div_rem(P64);
        let q = ctx.witness(q.to_fp());
        ctx.range_check(q, q_bits);
        terms.push((-Fp::from(P64), q));
    }
    let zero = ctx.linear(&terms, offset.to_fp());
    ctx.assert_zero(zero);
}
