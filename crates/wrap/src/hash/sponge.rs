//! The wrap transcript in the circuit: [`Sponge`] replays `geode_stark`'s [`WrapChallenger`]
//! operation for operation (`docs/wrap.md`, "Transcript").
//!
//! [`WrapChallenger`]: geode_stark::config::wrap::WrapChallenger

use ff::{Field, PrimeField};
use geode_stark::Val;
use geode_stark::config::wrap::poseidon::{RATE, VALUES_PER_BLOCK, VALUES_PER_CELL, WIDTH};
use geode_stark::config::wrap::{DIGEST_TAG, LIMBS_PER_STEP, SQUEEZE_TAG};
use p3_field::PrimeField32;

use super::pack_terms;
use crate::ctx::{Ctx, Fp, Var};

/// KoalaBear's modulus `p = 2^31 - 2^24 + 1`.
pub(crate) const P: u64 = Val::ORDER_U32 as u64;
/// Bits of a canonical KoalaBear value: `p < 2^31`.
pub(crate) const VALUE_BITS: u32 = 31;
/// Bits of one squeezed limb.
pub(crate) const LIMB_BITS: u32 = 64;
/// Squeezed limbs per rate element (limb 3 exists only in the decomposition, it is never read).
const LIMBS_PER_ELEMENT: usize = 3;
/// Bound on the top limb of a rate element's decomposition: `limb_3 < 2^62` makes the limbs
/// encode an integer below `2^254 < q`, hence the canonical one.
pub(crate) const TOP_LIMB_BITS: u32 = 62;
/// Bound on the quotient of a limb by `p`: `(2^64 - 1) / p < 2^34` (it can exceed `2^33`, as
/// `2^64 / p ≈ 2^33.01`).
pub(crate) const QUOTIENT_BITS: u32 = 34;

/// A [`Sponge::sample_bits`] result: the sampled integer and its bits.
#[derive(Clone, Debug)]
pub struct SampledBits {
    /// `Σ bits[i] · 2^i`, below `2^bits.len()`.
    pub value: Var,
    /// The bits, little-endian, each constrained boolean.
    pub bits: Vec<Var>,
}

/// The wrap transcript (`WrapChallenger`) as a circuit: the same duplex sponge over
/// `P128Pow5T3`, every step a [`Ctx::poseidon`], every sample a constrained slice of the
/// squeezed state.
///
/// # Soundness
///
/// The state is a deterministic function of what was observed: every step is
/// `state ← poseidon(state + (c0, c1, tag))` with `c0, c1` the packing
/// `Σ v_i · 2^(31 i)` of the queued values (a linear combination), or the observed word, and
/// `tag` a constant. What is produced is pinned to the state:
///
/// - **Limbs.** A rate element `s` read for the first time is decomposed into witnesses
///   `l_0, l_1, l_2 < 2^64` and `l_3 < 2^62` with `s = Σ l_j · 2^(64 j)`. The sum is below
///   `2^254 < q`, so the equation holds over the integers and the `l_j` are the limbs of
///   `s`'s canonical integer, as `WrapChallenger` reads them. Completeness: an honest state
///   element at or above `2^254` cannot be decomposed; that has probability
///   `(q - 2^254) / q < 2^-128` per decomposed element.
/// - **KoalaBear samples.** A limb `x` is split as `x = t · p + r` with `t < 2^34` and
///   `r < p` (`r < 2^31` and `p - 1 - r < 2^31`); `t · p + r < 2^66 < q`, so this is Euclidean
///   division over the integers and `r = x mod p`, canonical.
/// - **Bits.** `x = lo + 2^b · hi` with `lo = Σ bits_i 2^i` over `b` boolean bits and
///   `hi < 2^(64 - b)`: again below `q`, so `lo = x mod 2^b`.
/// - **Proof of work.** `x = 2^b · hi` with `hi < 2^(64 - b)`, i.e. `x mod 2^b = 0`.
///
/// The caller's side: every observed KoalaBear value (the proof-of-work witness included) must
/// already be constrained canonical, `< p` (below `2^31` makes the packing injective, below `p`
/// makes it the value the native verifier absorbed). Words are any `Fp`, as natively. The
/// sequence of operations must be fixed by the circuit's shape, never by witness values; it is,
/// in a verifier whose control flow follows the proof's shape.
#[derive(Clone, Debug)]
pub struct Sponge {
    state: [Var; WIDTH],
    /// KoalaBear values observed and not yet absorbed (fewer than [`VALUES_PER_BLOCK`]).
    queued: Vec<Var>,
    /// Each rate element's limbs after the last step, decomposed when first read.
    limbs: [Option<[Var; 4]>; RATE],
    /// The next readable limb (`0..LIMBS_PER_STEP`), [`LIMBS_PER_STEP`] when none is readable.
    next_limb: usize,
}

impl Sponge {
    /// The transcript in its initial state: all zero, nothing queued, nothing readable.
    pub fn new(ctx: &mut Ctx) -> Self {
        let zero = ctx.constant(Fp::ZERO);
        Self {
            state: [zero; WIDTH],
            queued: Vec::with_capacity(VALUES_PER_BLOCK),
            limbs: [None; RATE],
            next_limb: LIMBS_PER_STEP,
        }
    }

    /// The current state (for tests and debugging; the queued values are not in it yet).
    pub fn state(&self) -> [Var; WIDTH] {
        self.state
    }

    /// Observes a KoalaBear value, which must be constrained canonical by the caller.
    pub fn observe(&mut self, ctx: &mut Ctx, value: Var) {
        self.next_limb = LIMBS_PER_STEP;
        self.queued.push(value);
        if self.queued.len() == VALUES_PER_BLOCK {
            self.flush(ctx);
        }
    }

    /// Observes an extension element by its four basis coefficients, in order (each canonical),
    /// as `p3`'s `observe_algebra_element` does.
    pub fn observe_ext(&mut self, ctx: &mut Ctx, value: [Var; 4]) {
        for v in value {
            self.observe(ctx, v);
        }
    }

    /// Observes a digest word (a Merkle root): the queued values first, then the step
    /// `(word, 0, 2^64)`.
    pub fn observe_word(&mut self, ctx: &mut Ctx, word: Var) {
        self.flush(ctx);
        self.duplex(ctx, vec![(Fp::ONE, word)], Vec::new(), DIGEST_TAG);
    }

    /// Samples a KoalaBear value: the next limb mod `p`, constrained canonical.
    pub fn sample(&mut self, ctx: &mut Ctx) -> Var {
        let x = self.next_limb(ctx);
        reduce_mod_p(ctx, x)
    }

    /// Samples an extension element: four KoalaBear samples, its basis coefficients in order.
    pub fn sample_ext(&mut self, ctx: &mut Ctx) -> [Var; 4] {
        std::array::from_fn(|_| self.sample(ctx))
    }

    /// Samples `bits` bits: the next limb mod `2^bits`, and its bits, little-endian.
    ///
    /// # Panics
    /// If `bits >= 64` (as `WrapChallenger::sample_bits`).
    pub fn sample_bits(&mut self, ctx: &mut Ctx, bits: usize) -> SampledBits {
        assert!(bits < LIMB_BITS as usize, "{bits} bits do not fit a limb");
        if bits == 0 {
            // The limb is consumed, as natively, but nothing about it is needed.
            self.advance(ctx);
            return SampledBits {
                value: ctx.constant(Fp::ZERO),
                bits: Vec::new(),
            };
        }
        let x = self.next_limb(ctx);
        let x_int = limb_value(ctx, x);
        let lo = ctx.witness(Fp::from(x_int & ((1 << bits) - 1)));
        let hi = ctx.witness(Fp::from(x_int >> bits));
        let bit_vars = ctx.to_bits(lo, bits);
        ctx.range_check(hi, LIMB_BITS - bits as u32);
        let sum = ctx.linear(&[(Fp::ONE, lo), (pow2(bits as u32), hi)], Fp::ZERO);
        ctx.assert_eq(sum, x);
        SampledBits {
            value: lo,
            bits: bit_vars,
        }
    }

    /// Checks a proof of work: observes `witness` (a KoalaBear value the caller has constrained
    /// canonical), then constrains the low `bits` bits of the next limb to zero, as
    /// `GrindingChallenger::check_witness`. Zero bits check nothing and observe nothing.
    ///
    /// # Panics
    /// If `bits >= 64`.
    pub fn check_pow(&mut self, ctx: &mut Ctx, bits: usize, witness: Var) {
        assert!(bits < LIMB_BITS as usize, "{bits} bits do not fit a limb");
        if bits == 0 {
            return;
        }
        self.observe(ctx, witness);
        let x = self.next_limb(ctx);
        let hi = ctx.witness(Fp::from(limb_value(ctx, x) >> bits));
        ctx.range_check(hi, LIMB_BITS - bits as u32);
        let shifted = ctx.mul_const(hi, pow2(bits as u32));
        ctx.assert_eq(shifted, x);
    }

    /// Absorbs the queued values, if any, in one step `(pack(first 8), pack(next 8), count)`.
    fn flush(&mut self, ctx: &mut Ctx) {
        if self.queued.is_empty() {
            return;
        }
        let count = self.queued.len();
        let (lo, hi) = self.queued.split_at(count.min(VALUES_PER_CELL));
        let (c0, c1) = (pack_terms(lo), pack_terms(hi));
        self.queued.clear();
        self.duplex(ctx, c0, c1, count as u128);
    }

    /// One duplex step: `state += (Σ c0, Σ c1, tag)`, permute; the rate becomes readable.
    fn duplex(&mut self, ctx: &mut Ctx, c0: Vec<(Fp, Var)>, c1: Vec<(Fp, Var)>, tag: u128) {
        let [s0, s1, s2] = self.state;
        let s0 = add_terms(ctx, s0, c0);
        let s1 = add_terms(ctx, s1, c1);
        let s2 = ctx.add_const(s2, Fp::from_u128(tag));
        self.state = ctx.poseidon([s0, s1, s2]);
        self.limbs = [None; RATE];
        self.next_limb = 0;
    }

    /// Moves to the next readable limb, after the queued values and, if none is left, a
    /// squeeze step; returns its rate element and its index there.
    fn advance(&mut self, ctx: &mut Ctx) -> (usize, usize) {
        self.flush(ctx);
        if self.next_limb == LIMBS_PER_STEP {
            self.duplex(ctx, Vec::new(), Vec::new(), SQUEEZE_TAG);
        }
        let limb = self.next_limb;
        self.next_limb += 1;
        (limb / LIMBS_PER_ELEMENT, limb % LIMBS_PER_ELEMENT)
    }

    /// The next readable limb (see [`Self::advance`]), its rate element decomposed if this is
    /// the first limb read from it.
    fn next_limb(&mut self, ctx: &mut Ctx) -> Var {
        let (element, j) = self.advance(ctx);
        let limbs = match self.limbs[element] {
            Some(limbs) => limbs,
            None => {
                let limbs = decompose(ctx, self.state[element]);
                self.limbs[element] = Some(limbs);
                limbs
            }
        };
        limbs[j]
    }

    /// The decomposed limbs of the current step, for negative tests.
    #[cfg(test)]
    pub(super) fn decomposed_limbs(&self) -> [Option<[Var; 4]>; RATE] {
        self.limbs
    }
}

/// `acc + Σ terms` (just `acc` when there are none).
fn add_terms(ctx: &mut Ctx, acc: Var, mut terms: Vec<(Fp, Var)>) -> Var {
    if terms.is_empty() {
        return acc;
    }
    terms.insert(0, (Fp::ONE, acc));
    ctx.linear(&terms, Fp::ZERO)
}

/// `2^e` in `Fp`.
pub(crate) fn pow2(e: u32) -> Fp {
    Fp::from(2).pow_vartime([u64::from(e)])
}

/// The value of a limb (or any variable known to be below `2^64`) as an integer.
fn limb_value(ctx: &Ctx, x: Var) -> u64 {
    let repr = ctx.value(x).to_repr();
    u64::from_le_bytes(repr[..8].try_into().expect("8 bytes"))
}

/// The four little-endian 64-bit limbs of an element's canonical integer.
pub(super) fn canonical_limbs(value: Fp) -> [u64; 4] {
    let repr = value.to_repr();
    std::array::from_fn(|j| u64::from_le_bytes(repr[8 * j..8 * j + 8].try_into().expect("8 bytes")))
}

/// Decomposes a rate element into the limbs of its canonical integer (see [`Sponge`]'s
/// soundness notes).
fn decompose(ctx: &mut Ctx, s: Var) -> [Var; 4] {
    let limbs = canonical_limbs(ctx.value(s));
    decompose_with(ctx, s, limbs)
}

/// The constraints of [`decompose`] on the given limb witnesses (which negative tests choose).
pub(super) fn decompose_with(ctx: &mut Ctx, s: Var, limbs: [u64; 4]) -> [Var; 4] {
    let vars = limbs.map(|l| ctx.witness(Fp::from(l)));
    for (j, &v) in vars.iter().enumerate() {
        let bits = if j == 3 { TOP_LIMB_BITS } else { LIMB_BITS };
        ctx.range_check(v, bits);
    }
    let terms: Vec<(Fp, Var)> = (0..4).map(|j| (pow2(64 * j as u32), vars[j])).collect();
    let sum = ctx.linear(&terms, Fp::ZERO);
    ctx.assert_eq(sum, s);
    vars
}

/// `x mod p` for a limb `x < 2^64`, constrained canonical.
fn reduce_mod_p(ctx: &mut Ctx, x: Var) -> Var {
    let x_int = limb_value(ctx, x);
    reduce_mod_p_with(ctx, x, x_int / P, x_int % P)
}

/// The constraints of [`reduce_mod_p`] on a given quotient and remainder (which negative tests
/// choose).
pub(super) fn reduce_mod_p_with(ctx: &mut Ctx, x: Var, quotient: u64, remainder: u64) -> Var {
    let t = ctx.witness(Fp::from(quotient));
    let r = ctx.witness(Fp::from(remainder));
    ctx.range_check(t, QUOTIENT_BITS);
    assert_canonical(ctx, r);
    let sum = ctx.linear(&[(Fp::from(P), t), (Fp::ONE, r)], Fp::ZERO);
    ctx.assert_eq(sum, x);
    r
}

/// Constrains `v` to a canonical KoalaBear value: `v < 2^31` and `p - 1 - v < 2^31`, which
/// together say `0 <= v <= p - 1` (were `v >= p`, `p - 1 - v` would wrap to near `q`).
pub(crate) fn assert_canonical(ctx: &mut Ctx, v: Var) {
    ctx.range_check(v, VALUE_BITS);
    let complement = ctx.linear(&[(-Fp::ONE, v)], Fp::from(P - 1));
    ctx.range_check(complement, VALUE_BITS);
}
