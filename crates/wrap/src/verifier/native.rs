//! The native backend of the verifier stages: plain values, and a log of the transcript in
//! the form [`crate::testing::recording`] records the native verifier's.

use geode_stark::Val;
use geode_stark::config::wrap::{PallasWord, WrapChallenger};
use p3_challenger::{CanObserve, CanSample, CanSampleBits};
use pasta_curves::Fp;

use super::transcript::TranscriptBackend;
use crate::testing::recording::TranscriptOp;

/// [`WrapChallenger`] as a [`TranscriptBackend`], with a log and a count of failed grinds.
#[derive(Debug, Default)]
pub struct NativeTranscript {
    challenger: WrapChallenger,
    /// Every operation, in order.
    pub log: Vec<TranscriptOp>,
    /// How many grinds failed.
    pub pow_failures: usize,
}

impl TranscriptBackend for NativeTranscript {
    type Kb = Val;
    type Word = Fp;
    type Bits = usize;

    fn constant(&mut self, v: Val) -> Val {
        v
    }

    fn constant_word(&mut self, w: Fp) -> Fp {
        w
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
