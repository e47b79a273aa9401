//! The wrap configuration's Fiat–Shamir transcript: a duplex sponge over the Pallas base field
//! with the same Poseidon permutation as the Merkle trees.
//!
//! - **State** `[s0, s1, s2]` (rate `s0, s1`, capacity `s2`), initially zero.
//! - **Duplex step** `(c0, c1, tag)`: `s0 += c0`, `s1 += c1`, `s2 += tag`, permute; the rate is
//!   then readable as six 64-bit limbs, limbs 0, 1, 2 of `s0` and then of `s1` (little-endian
//!   limbs of the canonical integer; limb 3 has under 64 bits and is not used).
//! - **Observing KoalaBear values**: they queue up; every 16 values (and before any sample or
//!   digest observation, the ones queued) make one duplex step with `c0, c1` the values packed
//!   8 to a cell ([`pack`]; a missing cell is 0) and `tag` = how many values (1..=16). Observing
//!   a value discards the unread limbs.
//! - **Observing a digest word** `w`: the queued values first, then the step `(w, 0, 2^64)`.
//! - **Sampling**: the queued values first; if no limb is left unread, the step `(0, 0, 2^64 + 1)`.
//!   Each sample reads the next limb `x`: a KoalaBear element is `x mod p`, `sample_bits(b)` is
//!   `x mod 2^b`, a challenge is four KoalaBear samples (its basis coefficients, in order).
//! - **Proof of work** (`check_witness(bits, w)`): observe `w`, then `sample_bits(bits) == 0`.
//!
//! Bias: a squeezed Pallas element is uniform on `[0, q)` with `q ≈ 2^254`, so each of its low
//! 192 bits' limbs is uniform on `[0, 2^64)` up to a factor `1 ± 2^-190`; reducing a limb mod
//! `p < 2^31` gives each KoalaBear value a probability within a factor `1 ± 2^-33` of `1/p`,
//! and `sample_bits` is within `1 ± 2^-190` of uniform. A factor, not a distance: an event of
//! probability ε under uniform challenges has probability at most `ε · (1 + 2^-33)^4` here.

use p3_challenger::{CanObserve, CanSample, CanSampleBits, FieldChallenger, GrindingChallenger};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use p3_maybe_rayon::prelude::*;
use p3_symmetric::MerkleCap;
use pasta_curves::Fp;
use pasta_curves::group::ff::{Field, PrimeField};

use super::poseidon::{PallasWord, VALUES_PER_BLOCK, VALUES_PER_CELL, WIDTH, pack, permute};
use crate::config::Val;

/// Capacity addend of a duplex step that absorbs a digest word.
pub const DIGEST_TAG: u128 = 1 << 64;
/// Capacity addend of a duplex step that absorbs nothing (squeezes more limbs).
pub const SQUEEZE_TAG: u128 = (1 << 64) + 1;
/// Limbs readable after one duplex step: three from each rate element.
pub const LIMBS_PER_STEP: usize = 6;
/// Candidates a grinding round tests before it looks for the smallest accepted one: the search
/// returns the smallest witness, the same serially and in parallel.
const GRIND_BATCH: u32 = 1 << 12;

/// The wrap transcript (see the module documentation for its exact layout).
#[derive(Clone, Copy, Debug)]
pub struct WrapChallenger {
    state: [Fp; WIDTH],
    queued: [Val; VALUES_PER_BLOCK],
    num_queued: usize,
    limbs: [u64; LIMBS_PER_STEP],
    /// Index of the next unread limb; [`LIMBS_PER_STEP`] when none is left.
    next_limb: usize,
}

impl Default for WrapChallenger {
    fn default() -> Self {
        Self::new()
    }
}

impl WrapChallenger {
    /// A transcript in its initial state: all zero, nothing queued, nothing readable.
    pub fn new() -> Self {
        Self {
            state: [Fp::ZERO; WIDTH],
            queued: [Val::ZERO; VALUES_PER_BLOCK],
            num_queued: 0,
            limbs: [0; LIMBS_PER_STEP],
            next_limb: LIMBS_PER_STEP,
        }
    }

    fn duplex(&mut self, c0: Fp, c1: Fp, tag: Fp) {
        self.state[0] += c0;
        self.state[1] += c1;
        self.state[2] += tag;
        permute(&mut self.state);
        for (i, chunk) in self.limbs.chunks_mut(3).enumerate() {
            let repr = self.state[i].to_repr();
            for (j, limb) in chunk.iter_mut().enumerate() {
                let bytes = repr[8 * j..8 * j + 8].try_into().expect("8 bytes");
                *limb = u64::from_le_bytes(bytes);
            }
        }
        self.next_limb = 0;
    }

    /// Absorbs the queued values, if any, in one duplex step.
    fn flush(&mut self) {
        let n = self.num_queued;
        if n > 0 {
            let (lo, hi) = self.queued[..n].split_at(n.min(VALUES_PER_CELL));
            let (c0, c1) = (pack(lo), pack(hi));
            self.duplex(c0, c1, Fp::from(n as u64));
            self.num_queued = 0;
        }
    }

    /// Absorbs one digest word (after the queued values).
    pub fn observe_word(&mut self, word: PallasWord) {
        self.flush();
        self.duplex(word.0, Fp::ZERO, Fp::from_u128(DIGEST_TAG));
    }

    /// The next 64-bit limb of the squeezed rate.
    fn next_limb(&mut self) -> u64 {
        self.flush();
        if self.next_limb == LIMBS_PER_STEP {
            self.duplex(Fp::ZERO, Fp::ZERO, Fp::from_u128(SQUEEZE_TAG));
        }
        let limb = self.limbs[self.next_limb];
        self.next_limb += 1;
        limb
    }
}

impl CanObserve<Val> for WrapChallenger {
    fn observe(&mut self, value: Val) {
        self.next_limb = LIMBS_PER_STEP;
        self.queued[self.num_queued] = value;
        self.num_queued += 1;
        if self.num_queued == VALUES_PER_BLOCK {
            self.flush();
        }
    }
}

impl CanObserve<PallasWord> for WrapChallenger {
    fn observe(&mut self, word: PallasWord) {
        self.observe_word(word);
    }
}

impl CanObserve<[PallasWord; 1]> for WrapChallenger {
    fn observe(&mut self, [word]: [PallasWord; 1]) {
        self.observe_word(word);
    }
}

/// A commitment: each digest of the cap, in order (the wrap configuration's cap is one root).
impl CanObserve<MerkleCap<Val, [PallasWord; 1]>> for WrapChallenger {
    fn observe(&mut self, cap: MerkleCap<Val, [PallasWord; 1]>) {
        for &[word] in cap.roots() {
            self.observe_word(word);
        }
    }
}

impl CanObserve<&MerkleCap<Val, [PallasWord; 1]>> for WrapChallenger {
    fn observe(&mut self, cap: &MerkleCap<Val, [PallasWord; 1]>) {
        for &[word] in cap.roots() {
            self.observe_word(word);
        }
    }
}

/// KoalaBear, or an extension of it coefficient by coefficient: each coefficient is the next
/// limb mod p.
impl<EF: BasedVectorSpace<Val>> CanSample<EF> for WrapChallenger {
    fn sample(&mut self) -> EF {
        EF::from_basis_coefficients_fn(|_| Val::from_u64(self.next_limb()))
    }
}

impl CanSampleBits<usize> for WrapChallenger {
    /// The low `bits` bits of the next limb.
    fn sample_bits(&mut self, bits: usize) -> usize {
        assert!(
            bits < usize::BITS as usize,
            "{bits} bits do not fit a usize"
        );
        (self.next_limb() & ((1u64 << bits) - 1)) as usize
    }
}

impl FieldChallenger<Val> for WrapChallenger {}

impl GrindingChallenger for WrapChallenger {
    type Witness = Val;

    /// The smallest witness `w` (as a canonical integer) that `check_witness` accepts.
    fn grind(&mut self, bits: usize) -> Val {
        assert!(
            bits < 32 && (1u64 << bits) < u64::from(Val::ORDER_U32),
            "{bits} bits of proof of work exceed the field"
        );
        if bits == 0 {
            return Val::ZERO;
        }
        let accepts = |w: u32| self.clone().check_witness(bits, Val::from_u32(w));
        let witness = (0..Val::ORDER_U32)
            .step_by(GRIND_BATCH as usize)
            .find_map(|start| {
                let end = start.saturating_add(GRIND_BATCH).min(Val::ORDER_U32);
                (start..end).into_par_iter().filter(|&w| accepts(w)).min()
            })
            .expect("a proof-of-work witness exists");
        let witness = Val::from_u32(witness);
        assert!(self.check_witness(bits, witness));
        witness
    }
}

#[cfg(test)]
mod tests {
    use p3_challenger::{CanObserve, CanSample, CanSampleBits};

    use super::*;
    use crate::config::Challenge;

    fn transcript(values: &[u32], word: Option<Fp>) -> WrapChallenger {
        let mut c = WrapChallenger::new();
        for &v in values {
            c.observe(Val::from_u32(v));
        }
        if let Some(w) = word {
            c.observe(PallasWord(w));
        }
        c
    }

    fn samples(mut c: WrapChallenger) -> Vec<Val> {
        (0..20).map(|_| c.sample()).collect()
    }

    #[test]
    fn the_same_observations_give_the_same_samples() {
        let a = samples(transcript(&[1, 2, 3], Some(Fp::from(9))));
        assert_eq!(a, samples(transcript(&[1, 2, 3], Some(Fp::from(9)))));
        // Samples are not constant across a squeeze.
        assert!(a.windows(2).all(|w| w[0] != w[1]), "{a:?}");
    }

    #[test]
    fn different_observations_give_different_samples() {
        let runs = [
            transcript(&[], None),
            transcript(&[0], None),
            transcript(&[0, 0], None),
            transcript(&[1, 2, 3], None),
            transcript(&[1, 2, 4], None),
            transcript(&[1, 2, 3], Some(Fp::ZERO)),
            transcript(&[1, 2, 3], Some(Fp::ONE)),
            transcript(&(0..16).collect::<Vec<_>>(), None),
            transcript(&(0..17).collect::<Vec<_>>(), None),
        ]
        .map(samples);
        for (i, a) in runs.iter().enumerate() {
            for b in &runs[i + 1..] {
                assert_ne!(a[0], b[0]);
            }
        }
    }

    /// The layout of the module documentation, by hand.
    #[test]
    fn the_layout_is_the_documented_one() {
        let mut c = transcript(&[7, 8, 9], Some(Fp::from(5)));
        let x: Challenge = c.sample();
        let bits = c.sample_bits(10);
        c.observe(Val::from_u32(1));
        let y: Val = c.sample();

        let mut s = [Fp::ZERO; WIDTH];
        let step = |s: &mut [Fp; WIDTH], c0: Fp, c1: Fp, tag: Fp| {
            s[0] += c0;
            s[1] += c1;
            s[2] += tag;
            permute(s);
        };
        let limb =
            |f: Fp, j: usize| u64::from_le_bytes(f.to_repr()[8 * j..8 * j + 8].try_into().unwrap());
        let vals = [7, 8, 9].map(Val::from_u32);
        step(&mut s, pack(&vals), Fp::ZERO, Fp::from(3));
        step(&mut s, Fp::from(5), Fp::ZERO, Fp::from_u128(DIGEST_TAG));
        let coeffs =
            [limb(s[0], 0), limb(s[0], 1), limb(s[0], 2), limb(s[1], 0)].map(Val::from_u64);
        assert_eq!(x, Challenge::from_basis_coefficients_fn(|i| coeffs[i]));
        assert_eq!(bits as u64, limb(s[1], 1) & 1023);
        step(&mut s, pack(&[Val::ONE]), Fp::ZERO, Fp::ONE);
        assert_eq!(y, Val::from_u64(limb(s[0], 0)));
        // Six limbs later, a squeeze step.
        let mut c = WrapChallenger::new();
        let first: Vec<Val> = (0..7).map(|_| c.sample()).collect();
        let mut s = [Fp::ZERO; WIDTH];
        step(&mut s, Fp::ZERO, Fp::ZERO, Fp::from_u128(SQUEEZE_TAG));
        assert_eq!(first[5], Val::from_u64(limb(s[1], 2)));
        step(&mut s, Fp::ZERO, Fp::ZERO, Fp::from_u128(SQUEEZE_TAG));
        assert_eq!(first[6], Val::from_u64(limb(s[0], 0)));
    }

    #[test]
    fn grinding_finds_the_smallest_witness_and_checks_it() {
        let base = transcript(&[42], None);
        let mut prover = base;
        let w = prover.grind(6);
        let mut verifier = base;
        assert!(verifier.check_witness(6, w));
        let (a, b): (Val, Val) = (prover.sample(), verifier.sample());
        assert_eq!(a, b);
        let smaller =
            (0..w.as_canonical_u32()).find(|&i| base.clone().check_witness(6, Val::from_u32(i)));
        assert_eq!(smaller, None);
    }
}
