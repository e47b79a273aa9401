//! KoalaBear and its degree-4 extension, emulated in the Pallas base field.
//!
//! The verifier does about a million KoalaBear operations in the circuit, and a reduction modulo
//! `p = 2^31 − 2^24 + 1` costs range checks, so values live unreduced as long as they can: a
//! [`Kb`] is a tape value holding a non-negative *integer* `x ≤ max` with `x ≡ value (mod p)`,
//! where `max` is an exact upper bound (a 256-bit integer) computed while the circuit
//! is built. Sums, products and linear combinations are single native rows on those integers;
//! a reduction (`x = q·p + r`) happens only when asked for, or automatically when a result's
//! bound would reach `2^`[`MAX_BITS`]. [`Ext`] is four of them, the coefficients of
//! `p3_field`'s `BinomialExtensionField<KoalaBear, 4>` (`X^4 = 3`) in its basis order.
//!
//! Three levels of reduction:
//!
//! | | bound | made by | what it buys |
//! |---|---|---|---|
//! | unreduced | any, below `2^250` | arithmetic | nothing paid yet |
//! | weakly reduced | `2^31 − 1` | [`Kb::weak_reduce`], the automatic reductions, inverses, powers | small operands |
//! | canonical | `p − 1` | constants, [`Kb::load_canonical`], [`Kb::reduce`], [`Kb::canonical`] | unique: equality is one copy constraint, bits are the value's |
//!
//! # Costs
//!
//! Everything but reductions and range checks is one row per native operation (a product, a
//! product-and-add, a linear combination of up to three terms). A reduction of a value below
//! `2^b` range-checks about `b − 31` bits of quotient, plus the remainder: 31 bits for a weak
//! reduction, `24 + 7` bits and four rows for a canonical one (`Ctx` range checks in limbs of up
//! to 16 bits, one lookup cell a limb). So delaying reductions saves the remainder's cells, and
//! most in sums of products (dot products, the extension's schoolbook product, Horner), where it
//! saves whole reductions; a square is the exception (it doubles the bits a reduction pays
//! for), so the power helpers reduce before squaring. `cargo test -p geode-wrap --lib
//! field::tests::costs -- --nocapture` prints the costs.
//!
//! # Soundness
//!
//! *Invariant.* For every [`Kb`] `(var, max)`, in every assignment that satisfies the
//! constraints recorded so far, `var` is the image in `Fp` of an integer `x ∈ [0, max]`, and
//! that integer is congruent mod `p` to the KoalaBear value the native computation has. It
//! holds for constants (`x = c = max`), for witnessed canonical values (below), for the tape
//! values of [`Kb::assume_bounded`] and [`Kb::assume_canonical`] by the caller's proof, and it is
//! preserved by every operation because:
//!
//! * *No wrap-around.* Every operation computes the exact bound of its integer result before it
//!   records anything, and reduces an operand first if the bound would reach `2^MAX_BITS =
//!   2^250`. The Pallas modulus is above `2^254`. A native row computes a polynomial with
//!   integer coefficients (sum, product, signed linear combination plus a multiple of `p` that
//!   keeps it non-negative) of integers whose result lies in `[0, 2^250)`, so the `Fp` value is
//!   the image of that integer, and the integer's residue mod `p` is the KoalaBear result.
//! * *Equations between integers.* Every assertion the module writes (a reduction
//!   `x − q·p − r = 0`, a congruence `a − b + k·p − q·p = 0`, a decomposition
//!   `x − lo − 2^24·hi = 0`) has two sides that are integers below `2^252`: the quotient `q` is
//!   range-checked to `n` bits with `2^(n−1) ≤ ⌊max/p⌋`, so `q·p < 2^n·p ≤ 2·max < 2^251`. Two
//!   integers in `[0, 2^252)` that agree mod the Pallas modulus are equal, so the equation
//!   holds over the integers, hence mod `p`.
//! * *Weak reduction.* A remainder range-checked to 31 bits is an integer below `2^31`; the
//!   equation above makes it congruent to `x`. Nothing more is claimed.
//! * *Canonicity.* `r = lo + 2^24·hi` with `lo < 2^24`, `hi < 2^7` range-checked, so
//!   `r < 2^31` and `(lo, hi)` is unique. Since `p − 1 = 127·2^24`, `r < p ⇔ hi < 127 ∨ (hi =
//!   127 ∧ lo = 0)`. The module asserts `lo · ((hi − 127)·t + 1) = 0` for a witnessed `t`:
//!   when `hi = 127` (the only `hi ∈ [0, 127]` with `hi − 127 = 0` in `Fp`) it reads
//!   `lo = 0`, which is soundness; when `hi ≠ 127`, `t = −1/(hi − 127)` satisfies it for every
//!   `lo`, which is completeness. Cheaper than range-checking both `r` and `p − 1 − r`
//!   (62 bits, four 16-bit lookup cells against three), the other sound check.
//!   [`Kb::canonical`] asserts the value itself equals `lo + 2^24·hi`, so an integer `x ≥ p`
//!   (congruent to a canonical value or not) has no satisfying `(lo, hi, t)`.
//! * *Completeness* of reductions: `q = ⌊x/p⌋ ≤ ⌊max/p⌋ < 2^n`, `r = x mod p < p < 2^31`; of
//!   congruences: `q = (a − b + k·p)/p` is an integer in `[0, ⌊max/p⌋]`.
//!
//! *Shape.* Which constraints are recorded (automatic reductions included) depends only on the
//! bounds, which depend only on the code path and on circuit constants, never on witness
//! values, so a circuit built from any witness has the same shape. Operations that can fail
//! natively (the inverse of zero, an assertion between unequal values) still record the same
//! constraints, which are then unsatisfiable.
//!
//! [`Kb::select`] requires its selector to be constrained boolean by the caller; with any other
//! value the result is not bounded.

mod base;
mod ext;
mod reduce;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use ff::PrimeField;
use geode_stark::Val;
use p3_field::PrimeField32;

pub use self::base::Kb;
pub use self::ext::Ext;
use crate::ctx::Fp;

/// The KoalaBear modulus, `2^31 − 2^24 + 1`.
pub const P: u32 = 0x7f00_0001;

/// Every emulated integer stays below `2^MAX_BITS` (the Pallas modulus exceeds `2^254`).
pub const MAX_BITS: u32 = 250;

/// `W` of the extension, `X^4 = W`.
pub const W: u32 = 3;

const P64: u64 = P as u64;

/// An exact upper bound on an emulated integer: a 256-bit unsigned integer, little-endian 64-bit
/// limbs (`Copy`, so [`Kb`] stays `Copy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bound([u64; 4]);

impl Bound {
    pub(crate) const ZERO: Self = Self([0; 4]);
    /// `p − 1`, the bound of a canonical value.
    pub(crate) const CANONICAL: Self = Self::from_u64(P64 - 1);
    /// `2^31 − 1`, the bound of a weakly reduced value.
    pub(crate) const WEAK: Self = Self::from_u64((1 << 31) - 1);

    pub(crate) const fn from_u64(v: u64) -> Self {
        Self([v, 0, 0, 0])
    }

    /// `2^bits − 1`, for `bits ≤ 256`.
    pub(crate) fn ones(bits: u32) -> Self {
        assert!(bits <= 256, "a bound has at most 256 bits");
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let have = bits.saturating_sub(64 * i as u32).min(64);
            *limb = if have == 64 {
                u64::MAX
            } else {
                (1u64 << have) - 1
            };
        }
        Self(limbs)
    }

    pub(crate) fn from_fp(x: Fp) -> Self {
        let repr = x.to_repr();
        let mut limbs = [0u64; 4];
        for (limb, bytes) in limbs.iter_mut().zip(repr.chunks_exact(8)) {
            *limb = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        }
        Self(limbs)
    }

    /// The integer as an `Fp` element; only called on integers below `2^MAX_BITS` or on
    /// values read back from the tape, both below the Pallas modulus.
    pub(crate) fn to_fp(self) -> Fp {
        let mut repr = [0u8; 32];
        for (bytes, limb) in repr.chunks_exact_mut(8).zip(self.0) {
            bytes.copy_from_slice(&limb.to_le_bytes());
        }
        Option::from(Fp::from_repr(repr)).expect("an emulated integer is below the Pallas modulus")
    }

    pub(crate) fn low_u64(self) -> u64 {
        self.0[0]
    }

    /// The number of bits of the integer (0 for zero).
    pub(crate) fn bits(self) -> u32 {
        (0..4)
            .rev()
            .find(|&i| self.0[i] != 0)
            .map_or(0, |i| 64 * i as u32 + 64 - self.0[i].leading_zeros())
    }

    /// Whether an integer with this bound may be recorded: below `2^MAX_BITS`.
    pub(crate) fn fits(self) -> bool {
        self.bits() <= MAX_BITS
    }

    pub(crate) fn is_canonical(self) -> bool {
        self <= Self::CANONICAL
    }

    pub(crate) fn checked_add(self, other: Self) -> Option<Self> {
        let mut out = [0u64; 4];
        let mut carry = 0u128;
        for (i, limb) in out.iter_mut().enumerate() {
            let t = u128::from(self.0[i]) + u128::from(other.0[i]) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(Self(out))
    }

    pub(crate) fn checked_mul(self, other: Self) -> Option<Self> {
        let mut wide = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u128;
            for j in 0..4 {
                let t = u128::from(wide[i + j])
                    + u128::from(self.0[i]) * u128::from(other.0[j])
                    + carry;
                wide[i + j] = t as u64;
                carry = t >> 64;
            }
            wide[i + 4] = carry as u64;
        }
        wide[4..]
            .iter()
            .all(|&w| w == 0)
            .then(|| Self(wide[..4].try_into().expect("4 limbs")))
    }

    /// `self − other`, or `None` when it would be negative.
    pub(crate) fn checked_sub(self, other: Self) -> Option<Self> {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for (i, limb) in out.iter_mut().enumerate() {
            let (t, b1) = self.0[i].overflowing_sub(other.0[i]);
            let (t, b2) = t.overflowing_sub(u64::from(borrow));
            *limb = t;
            borrow = b1 || b2;
        }
        (!borrow).then_some(Self(out))
    }

    /// Quotient and remainder of the division by `d > 0`.
    pub(crate) fn div_rem(self, d: u64) -> (Self, u64) {
        let mut q = [0u64; 4];
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let cur = (rem << 64) | u128::from(self.0[i]);
            q[i] = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        (Self(q), rem as u64)
    }

    /// `⌈self / p⌉`: how many `p` to add so that subtracting an integer with this bound stays
    /// non-negative.
    pub(crate) fn multiples_of_p_above(self) -> Self {
        let (q, r) = self.div_rem(P64);
        if r == 0 {
            q
        } else {
            q.checked_add(Self::from_u64(1))
                .expect("no overflow after a division")
        }
    }

    /// `m · p`, for `m` a quotient of a bound by `p` (no overflow).
    pub(crate) fn times_p(self) -> Self {
        self.checked_mul(Self::from_u64(P64))
            .expect("a multiple of p of a quotient of a bound")
    }

    /// The bits a quotient `⌊x/p⌋` of an integer `x ≤ self` needs.
    pub(crate) fn quotient_bits(self) -> u32 {
        self.div_rem(P64).0.bits()
    }
}

impl Ord for Bound {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for Bound {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A KoalaBear value's canonical integer.
fn canonical_u64(v: Val) -> u64 {
    u64::from(v.as_canonical_u32())
}

/// A KoalaBear value's canonical integer as an `Fp` element.
fn fp_of(v: Val) -> Fp {
    Fp::from(canonical_u64(v))
}
