//! The transcript against the wrap challenger, and cheating provers against its constraints.

use ff::{Field, PrimeField};
use geode_stark::config::wrap::{PallasWord, WrapChallenger};
use geode_stark::{Challenge, Val};
use p3_challenger::{CanObserve, CanSample, CanSampleBits, GrindingChallenger};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use proptest::prelude::*;

use super::{fp_of, koala, satisfied};
use crate::ctx::{Ctx, Fp, Var};
use crate::hash::Sponge;
use crate::hash::sponge::{self, P};

#[derive(Clone, Debug)]
enum Op {
    Observe(Vec<u32>),
    ObserveWord([u64; 4]),
    Sample,
    SampleExt,
    SampleBits(usize),
    Pow(usize),
}

fn value() -> impl Strategy<Value = u32> {
    let p = Val::ORDER_U32;
    prop_oneof![Just(0), Just(p - 1), 0..p]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop::collection::vec(value(), 1..20).prop_map(Op::Observe),
        1 => any::<[u64; 4]>().prop_map(Op::ObserveWord),
        2 => Just(Op::Sample),
        1 => Just(Op::SampleExt),
        2 => (0usize..64).prop_map(Op::SampleBits),
        1 => (0usize..=6).prop_map(Op::Pow),
    ]
}

/// Runs `ops` on both transcripts, asserting that every sample agrees, and returns the circuit
/// with one more sample (which checks that the states still agree).
fn replay(ops: &[Op]) -> Ctx {
    let mut ctx = Ctx::new();
    let mut sponge = Sponge::new(&mut ctx);
    let mut native = WrapChallenger::new();
    for op in ops {
        match op {
            Op::Observe(values) => {
                for &v in values {
                    let v = Val::from_u32(v);
                    native.observe(v);
                    let var = koala(&mut ctx, v);
                    sponge.observe(&mut ctx, var);
                }
            }
            Op::ObserveWord(limbs) => {
                let w = Fp::from_raw(*limbs);
                native.observe(PallasWord(w));
                let var = ctx.witness(w);
                sponge.observe_word(&mut ctx, var);
            }
            Op::Sample => {
                let s: Val = native.sample();
                let var = sponge.sample(&mut ctx);
                assert_eq!(ctx.value(var), fp_of(s));
            }
            Op::SampleExt => {
                let s: Challenge = native.sample();
                let vars = sponge.sample_ext(&mut ctx);
                for (&c, var) in s.as_basis_coefficients_slice().iter().zip(vars) {
                    assert_eq!(ctx.value(var), fp_of(c));
                }
            }
            Op::SampleBits(bits) => {
                let s = native.sample_bits(*bits) as u64;
                let sampled = sponge.sample_bits(&mut ctx, *bits);
                assert_eq!(ctx.value(sampled.value), Fp::from(s));
                assert_eq!(sampled.bits.len(), *bits);
                for (i, &b) in sampled.bits.iter().enumerate() {
                    assert_eq!(ctx.value(b), Fp::from((s >> i) & 1));
                }
            }
            Op::Pow(bits) => {
                let w = native.clone().grind(*bits);
                assert!(native.check_witness(*bits, w));
                let var = koala(&mut ctx, w);
                sponge.check_pow(&mut ctx, *bits, var);
            }
        }
    }
    let s: Val = native.sample();
    let var = sponge.sample(&mut ctx);
    assert_eq!(ctx.value(var), fp_of(s));
    ctx
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn random_transcripts_match_the_wrap_challenger(ops in prop::collection::vec(op(), 0..24)) {
        prop_assert!(satisfied(replay(&ops)));
    }
}

/// The layout's corners: exactly 16 values flush at once and leave that step's limbs readable;
/// a 17th queues; seven samples in a row cross a squeeze; zero bits read a limb; zero-bit
/// proof of work observes nothing.
#[test]
fn transcript_corners_match_the_wrap_challenger() {
    let observe = |n: u32| Op::Observe((0..n).map(|i| i * 0x0101_0101 % 0x7f00_0001).collect());
    let cases = [
        vec![],
        vec![Op::Sample; 7],
        vec![observe(16), Op::Sample],
        vec![observe(16), Op::ObserveWord([1, 2, 3, 4]), Op::SampleExt],
        vec![observe(17), Op::SampleBits(63), Op::SampleBits(1)],
        vec![
            observe(8),
            Op::SampleBits(0),
            Op::Sample,
            observe(9),
            Op::SampleExt,
        ],
        vec![
            Op::Pow(0),
            Op::Pow(5),
            Op::Pow(0),
            Op::SampleExt,
            Op::SampleExt,
        ],
        vec![
            Op::ObserveWord([u64::MAX; 4]),
            Op::ObserveWord([0; 4]),
            Op::Sample,
        ],
    ];
    for ops in cases {
        let ctx = replay(&ops);
        assert!(satisfied(ctx), "{ops:?}");
    }
}

/// A transcript with a proof of work, samples and `sample_bits`; returns the circuit, the
/// outputs (a sample, the sampled bits' value, one of the bits) and the decomposed limbs of the
/// last step.
fn small_transcript(pow_witness: Option<Val>) -> (Ctx, [Var; 3], [Option<[Var; 4]>; 2]) {
    let mut ctx = Ctx::new();
    let mut sponge = Sponge::new(&mut ctx);
    let mut native = WrapChallenger::new();
    for v in [3, 1, 4, 1, 5] {
        let v = Val::from_u32(v);
        native.observe(v);
        let var = koala(&mut ctx, v);
        sponge.observe(&mut ctx, var);
    }
    let bits = 6;
    let w = pow_witness.unwrap_or_else(|| native.clone().grind(bits));
    let var = koala(&mut ctx, w);
    sponge.check_pow(&mut ctx, bits, var);
    // Limb 0 went to the proof of work; limbs 1 and 2 of the first rate element and limb 0 of
    // the second follow.
    let sample = sponge.sample(&mut ctx);
    let bits = sponge.sample_bits(&mut ctx, 10);
    sponge.sample(&mut ctx);
    let limbs = sponge.decomposed_limbs();
    (ctx, [sample, bits.value, bits.bits[3]], limbs)
}

#[test]
fn a_tampered_sample_or_bit_is_rejected() {
    let (ctx, _, _) = small_transcript(None);
    assert!(satisfied(ctx));
    for i in 0..3 {
        let (mut ctx, outputs, _) = small_transcript(None);
        let var = outputs[i];
        // A bit stays boolean.
        let v = ctx.value(var);
        let tampered = if i == 2 { Fp::ONE - v } else { v + Fp::ONE };
        ctx.tamper(var, tampered);
        assert!(!satisfied(ctx), "output {i}");
    }
}

#[test]
fn a_tampered_limb_is_rejected() {
    for (element, limb) in [(0, 0), (0, 3), (1, 2), (1, 3)] {
        let (mut ctx, _, limbs) = small_transcript(None);
        let var = limbs[element].expect("read")[limb];
        let v = ctx.value(var);
        ctx.tamper(var, v + Fp::ONE);
        assert!(!satisfied(ctx), "limb {limb} of element {element}");
    }
}

#[test]
fn a_proof_of_work_witness_that_misses_the_bits_is_rejected() {
    let mut native = WrapChallenger::new();
    for v in [3, 1, 4, 1, 5] {
        native.observe(Val::from_u32(v));
    }
    let bad = (0..)
        .map(Val::from_u32)
        .find(|&w| !native.clone().check_witness(6, w))
        .expect("most witnesses miss");
    let (ctx, _, _) = small_transcript(Some(bad));
    assert!(!satisfied(ctx));
}

/// The integer sum of two 256-bit little-endian limb arrays (no overflow in the tests' use).
fn add_limbs(a: [u64; 4], b: [u64; 4]) -> [u64; 4] {
    let mut carry = 0u128;
    std::array::from_fn(|j| {
        let sum = u128::from(a[j]) + u128::from(b[j]) + carry;
        carry = sum >> 64;
        sum as u64
    })
}

/// A rate element also "decomposes" as the limbs of `s + q`, which fit 256 bits: the top-limb
/// bound rejects them.
#[test]
fn a_decomposition_of_s_plus_q_is_rejected() {
    let q_minus_1 = sponge::canonical_limbs(-Fp::ONE);
    let q = add_limbs(q_minus_1, [1, 0, 0, 0]);
    for s in [Fp::ZERO, Fp::from(12_345), Fp::from_u128(u128::MAX)] {
        let honest = sponge::canonical_limbs(s);
        for (limbs, ok) in [(honest, true), (add_limbs(honest, q), false)] {
            let mut ctx = Ctx::new();
            let var = ctx.witness(s);
            sponge::decompose_with(&mut ctx, var, limbs);
            assert_eq!(satisfied(ctx), ok, "{s:?} {limbs:x?}");
        }
    }
}

/// A limb also splits as `(t - 1) · p + (r + p)` when `r + p < 2^31`: the canonicity check on
/// the remainder rejects it.
#[test]
fn a_non_canonical_remainder_is_rejected() {
    let x = 5 * P + 7;
    for (t, r, ok) in [(5, 7, true), (4, 7 + P, false)] {
        let mut ctx = Ctx::new();
        let var = ctx.witness(Fp::from(x));
        sponge::reduce_mod_p_with(&mut ctx, var, t, r);
        assert_eq!(satisfied(ctx), ok, "t = {t}, r = {r}");
    }
}
