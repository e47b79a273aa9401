//! [`Kb`]: one KoalaBear value as a bounded integer on the tape.

use ff::Field as _;
use geode_stark::Val;
use p3_field::{Field as _, PrimeCharacteristicRing as _};

use super::reduce::{LOW_BITS, assert_multiple_of_p, canonical_limbs, recompose};
use super::{Bound, P64, canonical_u64, fp_of};
use crate::ctx::{Ctx, Fp, Var};

/// A weakly reduced value is below `2^31`.
const WEAK_BITS: u32 = 31;

/// A KoalaBear value on the tape: the integer `x ∈ [0, max]` that `var` holds, `x ≡ value
/// (mod p)`; canonical when `max < p`, weakly reduced when `max < 2^31`. See the module's
/// `# Soundness`.
#[derive(Clone, Copy, Debug)]
pub struct Kb {
    var: Var,
    max: Bound,
}

impl Kb {
    /// A circuit constant (its bound is the constant itself).
    pub fn constant(ctx: &mut Ctx, c: Val) -> Self {
        Self {
            var: ctx.constant(fp_of(c)),
            max: Bound::from_u64(canonical_u64(c)),
        }
    }

    pub fn zero(ctx: &mut Ctx) -> Self {
        Self::constant(ctx, Val::ZERO)
    }

    pub fn one(ctx: &mut Ctx) -> Self {
        Self::constant(ctx, Val::ONE)
    }

    /// A witnessed value, proven canonical.
    pub fn load_canonical(ctx: &mut Ctx, v: Val) -> Self {
        let [lo, hi] = canonical_limbs(ctx, canonical_u64(v));
        Self {
            var: recompose(ctx, lo, hi),
            max: Bound::CANONICAL,
        }
    }

    /// A witnessed value, proven below `2^31` only (one range check): enough where the value is
    /// only multiplied or hashed, as an inverse or an opened row is.
    pub fn load_weak(ctx: &mut Ctx, v: Val) -> Self {
        let var = ctx.witness(fp_of(v));
        ctx.range_check(var, WEAK_BITS);
        Self {
            var,
            max: Bound::WEAK,
        }
    }

    /// A tape value the caller has already proven to be an integer below `2^bits` (a range
    /// check, limbs of a decomposition), read as a KoalaBear value mod `p`.
    ///
    /// # Soundness
    ///
    /// Nothing is checked: the module's invariant needs `var ∈ [0, 2^bits)` in every satisfying
    /// assignment.
    pub fn assume_bounded(var: Var, bits: u32) -> Self {
        assert!(
            bits <= super::MAX_BITS,
            "{bits} bits exceed the emulation bound"
        );
        Self {
            var,
            max: Bound::ones(bits),
        }
    }

    /// A tape value the caller has already proven to be a canonical integer, below `p` (the
    /// sponge's samples).
    ///
    /// # Soundness
    ///
    /// Nothing is checked: the module's invariant needs `var ∈ [0, p)` in every satisfying
    /// assignment.
    pub fn assume_canonical(var: Var) -> Self {
        Self {
            var,
            max: Bound::CANONICAL,
        }
    }

    /// The tape value (the integer, not reduced).
    pub fn var(self) -> Var {
        self.var
    }

    /// Whether the value is proven below `p`.
    pub fn is_canonical(self) -> bool {
        self.max.is_canonical()
    }

    /// Whether the value is proven below `2^31` (canonical values are).
    pub fn is_weakly_reduced(self) -> bool {
        self.max <= Bound::WEAK
    }

    /// The number of bits of the bound on the integer.
    pub fn bound_bits(self) -> u32 {
        self.max.bits()
    }

    pub(super) fn max(self) -> Bound {
        self.max
    }

    /// The KoalaBear value (the integer the tape holds, mod `p`).
    pub fn value(self, ctx: &Ctx) -> Val {
        let (_, r) = Bound::from_fp(ctx.value(self.var)).div_rem(P64);
        Val::new(r as u32)
    }

    pub fn add(self, ctx: &mut Ctx, other: Self) -> Self {
        let ([a, b], max) = fit(ctx, [self, other], |[a, b]| a.checked_add(b));
        Self {
            var: ctx.add(a.var, b.var),
            max,
        }
    }

    /// `self − other`, as `self − other + k·p` with `k·p ≥ other`'s bound.
    pub fn sub(self, ctx: &mut Ctx, other: Self) -> Self {
        Self::linear(ctx, &[(Val::ONE, self), (Val::NEG_ONE, other)], Val::ZERO)
    }

    /// `−self`, as `k·p − self` with `k·p ≥` its bound.
    pub fn neg(self, ctx: &mut Ctx) -> Self {
        Self::linear(ctx, &[(Val::NEG_ONE, self)], Val::ZERO)
    }

    pub fn mul(self, ctx: &mut Ctx, other: Self) -> Self {
        let ([a, b], max) = fit(ctx, [self, other], |[a, b]| a.checked_mul(b));
        Self {
            var: ctx.mul(a.var, b.var),
            max,
        }
    }

    /// `self · b + c`, one row.
    pub fn mul_add(self, ctx: &mut Ctx, b: Self, c: Self) -> Self {
        let ([a, b, c], max) = fit(ctx, [self, b, c], |[a, b, c]| {
            a.checked_mul(b)?.checked_add(c)
        });
        Self {
            var: ctx.mul_add(a.var, b.var, c.var),
            max,
        }
    }

    pub fn square(self, ctx: &mut Ctx) -> Self {
        let a = match self.max.checked_mul(self.max) {
            Some(m) if m.fits() => self,
            _ => self.weak_reduce(ctx),
        };
        Self {
            var: ctx.mul(a.var, a.var),
            max: a
                .max
                .checked_mul(a.max)
                .expect("a weakly reduced square fits"),
        }
    }

    pub fn mul_const(self, ctx: &mut Ctx, c: Val) -> Self {
        Self::linear(ctx, &[(c, self)], Val::ZERO)
    }

    pub fn add_const(self, ctx: &mut Ctx, c: Val) -> Self {
        Self::linear(ctx, &[(Val::ONE, self)], c)
    }

    /// `Σ c_i·x_i + constant`, one native linear combination, not reduced.
    ///
    /// A coefficient above `p/2` is used as the negative integer `c − p`, and a multiple of
    /// `p` is added to the constant to keep the integer non-negative: `x − y` costs `y`'s bound
    /// rounded up to a multiple of `p`, not `(p − 1)` times it.
    pub fn linear(ctx: &mut Ctx, terms: &[(Val, Self)], constant: Val) -> Self {
        let mut terms: Vec<(bool, u64, Self)> = terms
            .iter()
            .filter(|(c, _)| *c != Val::ZERO)
            .map(|&(c, x)| {
                let c = canonical_u64(c);
                if c <= P64 / 2 {
                    (false, c, x)
                } else {
                    (true, P64 - c, x)
                }
            })
            .collect();
        if terms.is_empty() {
            return Self::constant(ctx, constant);
        }
        let (offset, max) = loop {
            if let Some(bounds) = linear_bounds(&terms, canonical_u64(constant)) {
                break bounds;
            }
            // Reduce the largest contribution; weakly reduced terms always fit.
            let (_, _, x) = terms
                .iter_mut()
                .filter(|(_, _, x)| !x.is_weakly_reduced())
                .max_by_key(|(_, c, x)| {
                    x.max
                        .checked_mul(Bound::from_u64(*c))
                        .unwrap_or(Bound::ones(256))
                })
                .expect("a linear combination of weakly reduced values fits");
            *x = x.weak_reduce(ctx);
        };
        let fp_terms: Vec<(Fp, Var)> = terms
            .iter()
            .map(|&(negative, c, x)| {
                let c = Fp::from(c);
                (if negative { -c } else { c }, x.var)
            })
            .collect();
        Self {
            var: ctx.linear(&fp_terms, offset.to_fp()),
            max,
        }
    }

    /// `Σ a_i·b_i`, a chain of product-and-add rows, not reduced (the accumulator is reduced,
    /// weakly, only if the sum would pass the emulation bound).
    pub fn dot(ctx: &mut Ctx, a: &[Self], b: &[Self]) -> Self {
        assert_eq!(
            a.len(),
            b.len(),
            "a dot product of slices of different lengths"
        );
        let mut acc: Option<Self> = None;
        for (&x, &y) in a.iter().zip(b) {
            let (mut x, mut y) = (x, y);
            loop {
                let product = x.max.checked_mul(y.max);
                let total = match acc {
                    None => product,
                    Some(acc) => product.and_then(|m| m.checked_add(acc.max)),
                };
                if total.is_some_and(Bound::fits) {
                    break;
                }
                if product.is_some_and(|m| m.bits() < super::MAX_BITS) {
                    // The product leaves room for a weakly reduced accumulator.
                    acc = acc.map(|acc| acc.weak_reduce(ctx));
                } else if x.max >= y.max {
                    x = x.weak_reduce(ctx);
                } else {
                    y = y.weak_reduce(ctx);
                }
            }
            acc = Some(match acc {
                None => raw_mul(ctx, x, y),
                Some(acc) => raw_mul_add(ctx, x, y, acc),
            });
        }
        acc.unwrap_or_else(|| Self::zero(ctx))
    }

    /// The canonical representative: witnesses `q = ⌊x/p⌋` and `r = x mod p`, range-checks `q`
    /// to the bits `⌊max/p⌋` needs and `r` canonical, and asserts `x = q·p + r`. Free for a
    /// value that is already canonical.
    pub fn reduce(self, ctx: &mut Ctx) -> Self {
        if self.is_canonical() {
            return self;
        }
        let (q, r) = Bound::from_fp(ctx.value(self.var)).div_rem(P64);
        self.reduce_with(ctx, q, r, true).1
    }

    /// A representative below `2^31`, not necessarily below `p`: [`Self::reduce`] with the
    /// remainder range-checked to 31 bits instead of proven canonical (one lookup cell and
    /// four rows fewer). What the automatic reductions use. Free for a value below `2^31`.
    pub fn weak_reduce(self, ctx: &mut Ctx) -> Self {
        if self.is_weakly_reduced() {
            return self;
        }
        let (q, r) = Bound::from_fp(ctx.value(self.var)).div_rem(P64);
        self.reduce_with(ctx, q, r, false).1
    }

    /// [`Self::reduce`] (`canonical`) or [`Self::weak_reduce`] with the quotient and remainder
    /// given, so that tests can play a cheating prover; returns the quotient's tape value and
    /// the remainder.
    pub(super) fn reduce_with(
        self,
        ctx: &mut Ctx,
        q: Bound,
        r: u64,
        canonical: bool,
    ) -> (Var, Self) {
        let q_bits = self.max.quotient_bits();
        let q = ctx.witness(q.to_fp());
        ctx.range_check(q, q_bits);
        let r = if canonical {
            let [lo, hi] = canonical_limbs(ctx, r);
            Self {
                var: recompose(ctx, lo, hi),
                max: Bound::CANONICAL,
            }
        } else {
            let var = ctx.witness(Fp::from(r));
            ctx.range_check(var, WEAK_BITS);
            Self {
                var,
                max: Bound::WEAK,
            }
        };
        let zero = ctx.linear(
            &[(Fp::ONE, self.var), (-Fp::from(P64), q), (-Fp::ONE, r.var)],
            Fp::ZERO,
        );
        ctx.assert_zero(zero);
        (q, r)
    }

    /// Asserts that the integer itself is below `p` (unsatisfiable otherwise, even where it is
    /// congruent to a canonical value) and returns it with the canonical bound. Free for a
    /// value that is already canonical; [`Self::reduce`] instead finds the representative.
    pub fn canonical(self, ctx: &mut Ctx) -> Self {
        if self.is_canonical() {
            return self;
        }
        let x = Bound::from_fp(ctx.value(self.var)).low_u64();
        let [lo, hi] = canonical_limbs(ctx, x);
        let zero = ctx.linear(
            &[
                (Fp::ONE, self.var),
                (-Fp::from(1 << LOW_BITS), hi),
                (-Fp::ONE, lo),
            ],
            Fp::ZERO,
        );
        ctx.assert_zero(zero);
        Self {
            var: self.var,
            max: Bound::CANONICAL,
        }
    }

    /// Asserts `self ≡ other (mod p)`: one copy constraint between canonical values, else
    /// `self − other + k·p = q·p` with `q` range-checked.
    pub fn assert_eq(self, ctx: &mut Ctx, other: Self) {
        if self.is_canonical() && other.is_canonical() {
            ctx.assert_eq(self.var, other.var);
            return;
        }
        let k_p = other.max.multiples_of_p_above().times_p();
        let max = self.max.checked_add(k_p).expect("below 2^251");
        assert_multiple_of_p(ctx, &[(Fp::ONE, self.var), (-Fp::ONE, other.var)], k_p, max);
    }

    /// Asserts `self ≡ c (mod p)`.
    pub fn assert_const(self, ctx: &mut Ctx, c: Val) {
        if self.is_canonical() {
            ctx.assert_const(self.var, fp_of(c));
            return;
        }
        // self + (p − c), or self when c = 0.
        let offset = Bound::from_u64((P64 - canonical_u64(c)) % P64);
        let max = self.max.checked_add(offset).expect("below 2^251");
        assert_multiple_of_p(ctx, &[(Fp::ONE, self.var)], offset, max);
    }

    /// The inverse, witnessed weakly reduced (below `2^31`) and checked by `self · inverse ≡
    /// 1`. `None` when the value is zero; the same constraints are recorded then, and are
    /// unsatisfiable.
    pub fn inverse(self, ctx: &mut Ctx) -> Option<Self> {
        let nonzero = self.value(ctx) != Val::ZERO;
        let w = self.inverse_or_unsatisfiable(ctx);
        nonzero.then_some(w)
    }

    /// [`Self::inverse`] that always returns the witnessed inverse (zero for zero, when the
    /// constraints are unsatisfiable), so what follows has one structure whatever the value.
    pub fn inverse_or_unsatisfiable(self, ctx: &mut Ctx) -> Self {
        let inverse = self.value(ctx).try_inverse().unwrap_or(Val::ZERO);
        let w = Self::load_weak(ctx, inverse);
        self.mul(ctx, w).assert_const(ctx, Val::ONE);
        w
    }

    /// `if_one` when `bit` is 1, `if_zero` when it is 0.
    ///
    /// # Soundness
    ///
    /// `bit` must be constrained boolean by the caller (a bit of [`Self::to_bits`],
    /// [`Ctx::assert_bool`]); otherwise the result is not bounded.
    pub fn select(ctx: &mut Ctx, bit: Var, if_one: Self, if_zero: Self) -> Self {
        Self {
            var: ctx.select(bit, if_one.var, if_zero.var),
            max: if_one.max.max(if_zero.max),
        }
    }

    /// `self^e`, square and multiply, weakly reduced (squares are reduced before they are
    /// squared again: a square doubles the bits a later reduction pays for).
    pub fn pow_const(self, ctx: &mut Ctx, e: u64) -> Self {
        if e == 0 {
            return Self::one(ctx);
        }
        let base = self.weak_reduce(ctx);
        let mut acc = base;
        for i in (0..63 - e.leading_zeros()).rev() {
            acc = acc.weak_reduce(ctx).square(ctx);
            if e >> i & 1 == 1 {
                acc = acc.mul(ctx, base);
            }
        }
        acc.weak_reduce(ctx)
    }

    /// `self^(2^k)`, `k` squarings, weakly reduced.
    pub fn exp_power_of_two(self, ctx: &mut Ctx, k: usize) -> Self {
        (0..k)
            .fold(self, |acc, _| acc.weak_reduce(ctx).square(ctx))
            .weak_reduce(ctx)
    }

    /// The 31 bits of the canonical representative, least significant first.
    pub fn to_bits(self, ctx: &mut Ctx) -> Vec<Var> {
        let c = self.reduce(ctx);
        ctx.to_bits(c.var, 31)
    }
}

/// Reduces the operand with the largest bound until `bound` of the operands' bounds exists and
/// fits; returns the operands and that bound.
fn fit<const N: usize>(
    ctx: &mut Ctx,
    mut ops: [Kb; N],
    bound: impl Fn([Bound; N]) -> Option<Bound>,
) -> ([Kb; N], Bound) {
    loop {
        if let Some(max) = bound(ops.map(|x| x.max)).filter(|m| m.fits()) {
            return (ops, max);
        }
        let largest = ops
            .iter_mut()
            .filter(|x| !x.is_weakly_reduced())
            .max_by_key(|x| x.max)
            .expect("an operation on weakly reduced values fits");
        *largest = largest.weak_reduce(ctx);
    }
}

/// The constant offset (`constant` plus a multiple of `p`, so that the integer is
/// non-negative) and the bound of a signed linear combination, if it fits.
fn linear_bounds(terms: &[(bool, u64, Kb)], constant: u64) -> Option<(Bound, Bound)> {
    let (mut positive, mut negative) = (Bound::ZERO, Bound::ZERO);
    for &(is_negative, c, x) in terms {
        let part = x.max.checked_mul(Bound::from_u64(c))?;
        let sum = if is_negative {
            &mut negative
        } else {
            &mut positive
        };
        *sum = sum.checked_add(part)?;
    }
    let constant = Bound::from_u64(constant);
    let offset = match negative.checked_sub(constant) {
        Some(missing) if missing != Bound::ZERO => constant
            .checked_add(missing.multiples_of_p_above().times_p())
            .expect("below 2^252"),
        _ => constant,
    };
    let max = positive.checked_add(offset)?;
    (max.fits() && offset.fits()).then_some((offset, max))
}

pub(super) fn raw_mul(ctx: &mut Ctx, a: Kb, b: Kb) -> Kb {
    let max = a.max.checked_mul(b.max).filter(|m| m.fits());
    Kb {
        var: ctx.mul(a.var, b.var),
        max: max.expect("the caller checked the bound"),
    }
}

pub(super) fn raw_mul_add(ctx: &mut Ctx, a: Kb, b: Kb, c: Kb) -> Kb {
    let max = a
        .max
        .checked_mul(b.max)
        .and_then(|m| m.checked_add(c.max))
        .filter(|m| m.fits());
    Kb {
        var: ctx.mul_add(a.var, b.var, c.var),
        max: max.expect("the caller checked the bound"),
    }
}
