//! [`Ext`]: an element of KoalaBear's degree-4 extension, `X^4 = 3`, as four [`Kb`].

use geode_stark::{Challenge, Val};
use p3_field::{BasedVectorSpace as _, Field as _, PrimeCharacteristicRing as _};

use super::base::{raw_mul, raw_mul_add};
use super::{Bound, Kb, W};
use crate::ctx::{Ctx, Var};

/// An extension element: the coefficients of `1, X, X^2, X^3` in the basis order of
/// `BinomialExtensionField<KoalaBear, 4>::as_basis_coefficients_slice`, each a [`Kb`] with its
/// own bound.
#[derive(Clone, Copy, Debug)]
pub struct Ext(pub [Kb; 4]);

/// A challenge's basis coefficients.
fn coeffs(c: Challenge) -> [Val; 4] {
    c.as_basis_coefficients_slice()
        .try_into()
        .expect("degree 4")
}

impl Ext {
    pub fn constant(ctx: &mut Ctx, c: Challenge) -> Self {
        Self(coeffs(c).map(|v| Kb::constant(ctx, v)))
    }

    pub fn zero(ctx: &mut Ctx) -> Self {
        Self::constant(ctx, Challenge::ZERO)
    }

    pub fn one(ctx: &mut Ctx) -> Self {
        Self::constant(ctx, Challenge::ONE)
    }

    /// `b` embedded (the other coefficients are the constant 0).
    pub fn from_base(ctx: &mut Ctx, b: Kb) -> Self {
        let zero = Kb::zero(ctx);
        Self([b, zero, zero, zero])
    }

    /// A witnessed element, its four coefficients proven canonical.
    pub fn load_canonical(ctx: &mut Ctx, c: Challenge) -> Self {
        Self(coeffs(c).map(|v| Kb::load_canonical(ctx, v)))
    }

    pub fn value(self, ctx: &Ctx) -> Challenge {
        Challenge::from_basis_coefficients_fn(|i| self.0[i].value(ctx))
    }

    pub fn is_canonical(self) -> bool {
        self.0.iter().all(|c| c.is_canonical())
    }

    pub fn is_weakly_reduced(self) -> bool {
        self.0.iter().all(|c| c.is_weakly_reduced())
    }

    /// The largest bound of a coefficient.
    fn max(self) -> Bound {
        self.0
            .iter()
            .map(|c| c.max())
            .max()
            .expect("four coefficients")
    }

    pub fn add(self, ctx: &mut Ctx, other: Self) -> Self {
        Self(std::array::from_fn(|k| self.0[k].add(ctx, other.0[k])))
    }

    pub fn sub(self, ctx: &mut Ctx, other: Self) -> Self {
        Self(std::array::from_fn(|k| self.0[k].sub(ctx, other.0[k])))
    }

    pub fn neg(self, ctx: &mut Ctx) -> Self {
        Self(self.0.map(|c| c.neg(ctx)))
    }

    pub fn add_base(self, ctx: &mut Ctx, b: Kb) -> Self {
        let [c0, c1, c2, c3] = self.0;
        Self([c0.add(ctx, b), c1, c2, c3])
    }

    pub fn sub_base(self, ctx: &mut Ctx, b: Kb) -> Self {
        let [c0, c1, c2, c3] = self.0;
        Self([c0.sub(ctx, b), c1, c2, c3])
    }

    /// `self · b` for a base element, four products.
    pub fn mul_base(self, ctx: &mut Ctx, b: Kb) -> Self {
        let (mut a, mut b) = (self, b);
        while !a.max().checked_mul(b.max()).is_some_and(Bound::fits) {
            if a.max() >= b.max() {
                a = a.weak_reduce(ctx);
            } else {
                b = b.weak_reduce(ctx);
            }
        }
        Self(a.0.map(|c| raw_mul(ctx, c, b)))
    }

    /// `self · c` for a constant base element, four linear rows.
    pub fn mul_base_const(self, ctx: &mut Ctx, c: Val) -> Self {
        Self(self.0.map(|x| x.mul_const(ctx, c)))
    }

    /// `self · c` for a constant: each coefficient a linear combination of `self`'s.
    pub fn mul_const(self, ctx: &mut Ctx, c: Challenge) -> Self {
        let c = coeffs(c);
        let w = Val::new(W);
        Self(std::array::from_fn(|k| {
            let terms: Vec<(Val, Kb)> = (0..4)
                .map(|i| {
                    // i + j = k, or i + j = k + 4 (times W).
                    let j = (k + 4 - i) % 4;
                    (if i <= k { c[j] } else { w * c[j] }, self.0[i])
                })
                .collect();
            Kb::linear(ctx, &terms, Val::ZERO)
        }))
    }

    /// The schoolbook product, `X^4 = 3` folded: 16 products and 3 linear rows, no reduction
    /// unless a coefficient's bound would pass the emulation bound.
    pub fn mul(self, ctx: &mut Ctx, other: Self) -> Self {
        let [a, b] = fit_ext(ctx, [self, other], |[a, b]| ExtAcc::new().fits_with(a, b));
        let mut acc = ExtAcc::new();
        acc.push(ctx, a, b);
        acc.finish(ctx)
    }

    /// `self · b + c`, `c` folded into the product's accumulators (no extra rows).
    pub fn mul_add(self, ctx: &mut Ctx, b: Self, c: Self) -> Self {
        let [a, b, c] = fit_ext(ctx, [self, b, c], |[a, b, c]| {
            ExtAcc::with(c).fits_with(a, b)
        });
        let mut acc = ExtAcc::with(c);
        acc.push(ctx, a, b);
        acc.finish(ctx)
    }

    /// The square: 10 products and 4 linear combinations.
    pub fn square(self, ctx: &mut Ctx) -> Self {
        let [a] = fit_ext(ctx, [self], |[a]| ExtAcc::new().fits_with(a, a));
        let mut p = |i: usize, j: usize| raw_mul(ctx, a.0[i], a.0[j]);
        let (p00, p11, p22, p33) = (p(0, 0), p(1, 1), p(2, 2), p(3, 3));
        let (p01, p02, p03) = (p(0, 1), p(0, 2), p(0, 3));
        let (p12, p13, p23) = (p(1, 2), p(1, 3), p(2, 3));
        let v = |x: u32| Val::new(x);
        let (one, two, w, two_w) = (v(1), v(2), v(W), v(2 * W));
        let zero = Val::ZERO;
        Self([
            Kb::linear(ctx, &[(one, p00), (two_w, p13), (w, p22)], zero),
            Kb::linear(ctx, &[(two, p01), (two_w, p23)], zero),
            Kb::linear(ctx, &[(two, p02), (one, p11), (w, p33)], zero),
            Kb::linear(ctx, &[(two, p03), (two, p12)], zero),
        ])
    }

    /// `Σ a_i·b_i`: all products accumulate into the same seven chains (the low and high
    /// halves of the schoolbook product), folded once at the end; 16 rows a pair plus 3.
    pub fn dot(ctx: &mut Ctx, a: &[Self], b: &[Self]) -> Self {
        assert_eq!(
            a.len(),
            b.len(),
            "a dot product of slices of different lengths"
        );
        let mut acc = ExtAcc::new();
        for (&x, &y) in a.iter().zip(b) {
            let (mut x, mut y) = (x, y);
            while !acc.fits_with(x, y) {
                let room = ExtAcc::new()
                    .bounds_with(x, y)
                    .is_some_and(|m| m.iter().all(|m| m.bits() < super::MAX_BITS));
                if room {
                    // The product leaves room for a weakly reduced accumulator.
                    acc = ExtAcc::with(acc.finish(ctx).weak_reduce(ctx));
                } else if x.max() >= y.max() {
                    x = x.weak_reduce(ctx);
                } else {
                    y = y.weak_reduce(ctx);
                }
            }
            acc.push(ctx, x, y);
        }
        acc.finish(ctx)
    }

    /// `Σ a_i·b_i` for base `b_i`: one product-and-add row per coefficient and pair (four a
    /// pair), reduced only where a bound requires it.
    pub fn dot_base(ctx: &mut Ctx, a: &[Self], b: &[Kb]) -> Self {
        assert_eq!(
            a.len(),
            b.len(),
            "a dot product of slices of different lengths"
        );
        Self(std::array::from_fn(|k| {
            let limbs: Vec<Kb> = a.iter().map(|x| x.0[k]).collect();
            Kb::dot(ctx, &limbs, b)
        }))
    }

    /// `Σ coeffs[i]·x^i` by Horner's rule, one [`Self::mul_add`] a coefficient; `x` is reduced
    /// (weakly) once, the accumulator only when its bound requires it. Not reduced.
    pub fn horner(ctx: &mut Ctx, coeffs: &[Self], x: Self) -> Self {
        let Some((&last, rest)) = coeffs.split_last() else {
            return Self::zero(ctx);
        };
        let x = x.weak_reduce(ctx);
        rest.iter()
            .rev()
            .fold(last, |acc, &c| acc.mul_add(ctx, x, c))
    }

    /// Each coefficient's canonical representative ([`Kb::reduce`]).
    pub fn reduce(self, ctx: &mut Ctx) -> Self {
        Self(self.0.map(|c| c.reduce(ctx)))
    }

    /// Each coefficient below `2^31` ([`Kb::weak_reduce`]).
    pub fn weak_reduce(self, ctx: &mut Ctx) -> Self {
        Self(self.0.map(|c| c.weak_reduce(ctx)))
    }

    /// Asserts each coefficient's integer below `p` ([`Kb::canonical`]).
    pub fn canonical(self, ctx: &mut Ctx) -> Self {
        Self(self.0.map(|c| c.canonical(ctx)))
    }

    /// Asserts `self = other` (each coefficient mod `p`).
    pub fn assert_eq(self, ctx: &mut Ctx, other: Self) {
        for (a, b) in self.0.into_iter().zip(other.0) {
            a.assert_eq(ctx, b);
        }
    }

    pub fn assert_const(self, ctx: &mut Ctx, c: Challenge) {
        for (a, c) in self.0.into_iter().zip(coeffs(c)) {
            a.assert_const(ctx, c);
        }
    }

    /// The inverse, witnessed weakly reduced and checked by `self · inverse = 1`. `None` for
    /// zero; the same constraints are recorded then, and are unsatisfiable.
    pub fn inverse(self, ctx: &mut Ctx) -> Option<Self> {
        let nonzero = self.value(ctx) != Challenge::ZERO;
        let w = self.inverse_or_unsatisfiable(ctx);
        nonzero.then_some(w)
    }

    /// [`Self::inverse`] that always returns the witnessed inverse ([`Kb::inverse_or_unsatisfiable`]).
    pub fn inverse_or_unsatisfiable(self, ctx: &mut Ctx) -> Self {
        let inverse = self.value(ctx).try_inverse().unwrap_or(Challenge::ZERO);
        let w = Self(coeffs(inverse).map(|v| Kb::load_weak(ctx, v)));
        self.mul(ctx, w).assert_const(ctx, Challenge::ONE);
        w
    }

    /// `if_one` when `bit` is 1, `if_zero` when it is 0; `bit` must be constrained boolean
    /// ([`Kb::select`]).
    pub fn select(ctx: &mut Ctx, bit: Var, if_one: Self, if_zero: Self) -> Self {
        Self(std::array::from_fn(|k| {
            Kb::select(ctx, bit, if_one.0[k], if_zero.0[k])
        }))
    }

    /// `self^e`, square and multiply, weakly reduced ([`Kb::pow_const`]).
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

    /// `[1, x, x^2, …, x^(n−1)]`, weakly reduced (powers are reused, so each is reduced once).
    pub fn powers(self, ctx: &mut Ctx, n: usize) -> Vec<Self> {
        let mut out = Vec::with_capacity(n);
        if n == 0 {
            return out;
        }
        out.push(Self::one(ctx));
        if n == 1 {
            return out;
        }
        let x = self.weak_reduce(ctx);
        out.push(x);
        for _ in 2..n {
            let last = *out.last().expect("at least two powers");
            out.push(last.mul(ctx, x).weak_reduce(ctx));
        }
        out
    }
}

/// Reduces the operand with the largest coefficient bound until `ok` holds.
fn fit_ext<const N: usize>(
    ctx: &mut Ctx,
    mut ops: [Ext; N],
    ok: impl Fn([Ext; N]) -> bool,
) -> [Ext; N] {
    while !ok(ops) {
        let largest = ops
            .iter_mut()
            .filter(|x| !x.is_weakly_reduced())
            .max_by_key(|x| x.max())
            .expect("an operation on weakly reduced values fits");
        *largest = largest.weak_reduce(ctx);
    }
    ops
}

/// A sum of extension products `Σ a·b` being accumulated: the low (`i + j < 4`) and high
/// (`i + j ≥ 4`) halves of the schoolbook products as product-and-add chains, folded into
/// `c_k = lo_k + W·hi_k` at the end. `None` is an empty chain.
struct ExtAcc {
    lo: [Option<Kb>; 4],
    hi: [Option<Kb>; 3],
}

impl ExtAcc {
    fn new() -> Self {
        Self {
            lo: [None; 4],
            hi: [None; 3],
        }
    }

    /// Starts from `init` (its coefficients begin the low chains).
    fn with(init: Ext) -> Self {
        Self {
            lo: init.0.map(Some),
            hi: [None; 3],
        }
    }

    /// The bounds of the folded coefficients once `a·b` is added, `None` past 256 bits.
    fn bounds_with(&self, a: Ext, b: Ext) -> Option<[Bound; 4]> {
        let bound = |x: Option<Kb>| x.map_or(Bound::ZERO, Kb::max);
        let mut lo = self.lo.map(bound);
        let mut hi = self.hi.map(bound);
        for i in 0..4 {
            for j in 0..4 {
                let product = a.0[i].max().checked_mul(b.0[j].max())?;
                let slot = if i + j < 4 {
                    &mut lo[i + j]
                } else {
                    &mut hi[i + j - 4]
                };
                *slot = slot.checked_add(product)?;
            }
        }
        let w = Bound::from_u64(W.into());
        let mut out = lo;
        for (c, h) in out.iter_mut().zip(hi) {
            *c = c.checked_add(h.checked_mul(w)?)?;
        }
        Some(out)
    }

    fn fits_with(&self, a: Ext, b: Ext) -> bool {
        self.bounds_with(a, b)
            .is_some_and(|m| m.iter().all(|m| m.fits()))
    }

    /// Adds `a·b`; the caller has checked [`Self::fits_with`]. A product with a coefficient
    /// whose bound is 0 (the constant 0, as in [`Ext::from_base`]) is 0 and costs no row.
    fn push(&mut self, ctx: &mut Ctx, a: Ext, b: Ext) {
        for i in 0..4 {
            for j in 0..4 {
                if a.0[i].max() == Bound::ZERO || b.0[j].max() == Bound::ZERO {
                    continue;
                }
                let slot = if i + j < 4 {
                    &mut self.lo[i + j]
                } else {
                    &mut self.hi[i + j - 4]
                };
                *slot = Some(match *slot {
                    None => raw_mul(ctx, a.0[i], b.0[j]),
                    Some(acc) => raw_mul_add(ctx, a.0[i], b.0[j], acc),
                });
            }
        }
    }

    fn finish(self, ctx: &mut Ctx) -> Ext {
        let w = Val::new(W);
        Ext(std::array::from_fn(|k| {
            let hi = self.hi.get(k).copied().flatten();
            match (self.lo[k], hi) {
                (Some(lo), Some(hi)) => Kb::linear(ctx, &[(Val::ONE, lo), (w, hi)], Val::ZERO),
                (Some(lo), None) => lo,
                (None, Some(hi)) => hi.mul_const(ctx, w),
                (None, None) => Kb::zero(ctx),
            }
        }))
    }
}
