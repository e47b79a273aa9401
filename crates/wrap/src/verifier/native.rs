//! The native backend of the verifier stages: plain values, and a log of the transcript in
//! the form [`crate::testing::recording`] records the native verifier's.

use geode_stark::config::wrap::poseidon::{compress, hash_values};
use geode_stark::config::wrap::{PallasWord, WrapChallenger};
use geode_stark::{Challenge, Val};
use p3_challenger::{CanObserve, CanSample, CanSampleBits};
use p3_field::{BasedVectorSpace, Field, PrimeCharacteristicRing};
use pasta_curves::Fp;

use super::backend::Backend;
use super::transcript::{Ext, TranscriptBackend};
use crate::testing::recording::TranscriptOp;

/// Plain values: [`WrapChallenger`] as the transcript (with a log), KoalaBear and its
/// extension as the fields, and a count of failed checks.
#[derive(Debug, Default)]
pub struct Native {
    challenger: WrapChallenger,
    /// Every transcript operation, in order.
    pub log: Vec<TranscriptOp>,
    /// How many grinds failed.
    pub pow_failures: usize,
    /// How many other checks failed (each with what it checked).
    pub failures: Vec<&'static str>,
}

impl Native {
    /// Whether every check so far passed.
    pub fn accepted(&self) -> bool {
        self.pow_failures == 0 && self.failures.is_empty()
    }
}

impl TranscriptBackend for Native {
    type Kb = Val;
    type Word = Fp;
    type Bits = usize;

    fn constant(&mut self, v: Val) -> Val {
        v
    }

    fn observe(&mut self, v: Val) {
        self.log.push(TranscriptOp::Observe(v));
        self.challenger.observe(v);
    }

    fn observe_word(&mut self, w: Fp) {
        self.log.push(TranscriptOp::ObserveWord(w));
        self.challenger.observe(PallasWord(w));
    }

    fn sample(&mut self) -> Val {
        let v: Val = self.challenger.sample();
        self.log.push(TranscriptOp::Sample(v));
        v
    }

    fn sample_bits(&mut self, bits: usize) -> usize {
        let value = self.challenger.sample_bits(bits);
        self.log.push(TranscriptOp::SampleBits { bits, value });
        value
    }

    fn check_pow(&mut self, bits: usize, witness: Val) {
        if bits == 0 {
            return;
        }
        self.observe(witness);
        if self.sample_bits(bits) != 0 {
            self.pow_failures += 1;
        }
    }
}

impl Backend for Native {
    type E = Challenge;
    type Bit = bool;

    fn bits(&mut self, b: &usize) -> Vec<bool> {
        (0..usize::BITS).map(|i| b >> i & 1 == 1).collect()
    }

    fn kb_mul(&mut self, a: Val, b: Val) -> Val {
        a * b
    }

    fn kb_inv(&mut self, a: Val) -> Val {
        a.try_inverse().unwrap_or_else(|| {
            self.failures.push("inverse of zero");
            Val::ZERO
        })
    }

    fn ext_coeffs(&mut self, a: &Challenge) -> Ext<Val> {
        let c = a.as_basis_coefficients_slice();
        [c[0], c[1], c[2], c[3]]
    }

    fn kb_select(&mut self, bit: bool, a: Val, b: Val) -> Val {
        if bit { a } else { b }
    }

    fn ext(&mut self, c: &Ext<Val>) -> Challenge {
        Challenge::from_basis_coefficients_fn(|i| c[i])
    }

    fn ext_const(&mut self, c: Challenge) -> Challenge {
        c
    }

    fn ext_from_base(&mut self, k: Val) -> Challenge {
        Challenge::from(k)
    }

    fn ext_add(&mut self, a: &Challenge, b: &Challenge) -> Challenge {
        *a + *b
    }

    fn ext_sub(&mut self, a: &Challenge, b: &Challenge) -> Challenge {
        *a - *b
    }

    fn ext_mul(&mut self, a: &Challenge, b: &Challenge) -> Challenge {
        *a * *b
    }

    fn ext_mul_base(&mut self, a: &Challenge, k: Val) -> Challenge {
        *a * k
    }

    fn ext_inv(&mut self, a: &Challenge) -> Challenge {
        a.try_inverse().unwrap_or_else(|| {
            self.failures.push("inverse of zero");
            Challenge::ZERO
        })
    }

    fn ext_select(&mut self, bit: bool, a: &Challenge, b: &Challenge) -> Challenge {
        if bit { *a } else { *b }
    }

    fn ext_assert_eq(&mut self, a: &Challenge, b: &Challenge) {
        if a != b {
            self.failures.push("extension equality");
        }
    }

    fn hash_row(&mut self, values: &[Val]) -> Fp {
        hash_values(values.iter().copied(), values.len())
    }

    fn compress(&mut self, left: Fp, right: Fp) -> Fp {
        compress(left, right)
    }

    fn swap_words(&mut self, bit: bool, a: Fp, b: Fp) -> (Fp, Fp) {
        if bit { (b, a) } else { (a, b) }
    }

    fn word_assert_eq(&mut self, a: Fp, b: Fp) {
        if a != b {
            self.failures.push("digest equality");
        }
    }
}
