//! A transcript that records every operation of the wrap configuration's challenger, so a test
//! can compare what the circuit absorbs and samples with what the native verifier did.
//!
//! [`RecordingConfig`] is the wrap configuration with [`RecordingChallenger`] in place of
//! [`WrapChallenger`]; the two give the same samples, and proofs of one decode as proofs of the
//! other (the challenger is not part of a proof), so any wrap proof can be verified under it.

use std::sync::{Arc, Mutex, PoisonError};

use geode_stark::config::wrap::{self, PallasWord, WrapChallenger};
use geode_stark::{Challenge, FastParams, Val};
use p3_challenger::{CanObserve, CanSample, CanSampleBits, FieldChallenger, GrindingChallenger};
use p3_field::BasedVectorSpace;
use p3_symmetric::MerkleCap;
use p3_uni_stark::{StarkConfig, StarkGenericConfig};
use pasta_curves::Fp;

/// One challenger operation, at the granularity the circuit replays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TranscriptOp {
    /// A KoalaBear value absorbed.
    Observe(Val),
    /// A digest word absorbed.
    ObserveWord(Fp),
    /// A KoalaBear value sampled (an extension challenge is four of these).
    Sample(Val),
    /// `bits` bits sampled.
    SampleBits {
        /// How many.
        bits: usize,
        /// The value drawn.
        value: usize,
    },
}

/// [`WrapChallenger`] plus a log shared by all its clones.
#[derive(Clone, Debug, Default)]
pub struct RecordingChallenger {
    inner: WrapChallenger,
    log: Arc<Mutex<Vec<TranscriptOp>>>,
}

impl RecordingChallenger {
    /// A fresh transcript with an empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The operations so far (of this challenger and every clone of it).
    pub fn log(&self) -> Vec<TranscriptOp> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn push(&self, op: TranscriptOp) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(op);
    }
}

impl CanObserve<Val> for RecordingChallenger {
    fn observe(&mut self, value: Val) {
        self.push(TranscriptOp::Observe(value));
        self.inner.observe(value);
    }
}

impl CanObserve<PallasWord> for RecordingChallenger {
    fn observe(&mut self, word: PallasWord) {
        self.push(TranscriptOp::ObserveWord(word.0));
        self.inner.observe(word);
    }
}

impl CanObserve<[PallasWord; 1]> for RecordingChallenger {
    fn observe(&mut self, [word]: [PallasWord; 1]) {
        self.observe(word);
    }
}

impl CanObserve<MerkleCap<Val, [PallasWord; 1]>> for RecordingChallenger {
    fn observe(&mut self, cap: MerkleCap<Val, [PallasWord; 1]>) {
        self.observe(&cap);
    }
}

impl CanObserve<&MerkleCap<Val, [PallasWord; 1]>> for RecordingChallenger {
    fn observe(&mut self, cap: &MerkleCap<Val, [PallasWord; 1]>) {
        for &[word] in cap.roots() {
            self.observe(word);
        }
    }
}

impl<EF: BasedVectorSpace<Val>> CanSample<EF> for RecordingChallenger {
    fn sample(&mut self) -> EF {
        EF::from_basis_coefficients_fn(|_| {
            let v: Val = self.inner.sample();
            self.push(TranscriptOp::Sample(v));
            v
        })
    }
}

impl CanSampleBits<usize> for RecordingChallenger {
    fn sample_bits(&mut self, bits: usize) -> usize {
        let value = self.inner.sample_bits(bits);
        self.push(TranscriptOp::SampleBits { bits, value });
        value
    }
}

impl FieldChallenger<Val> for RecordingChallenger {}

impl GrindingChallenger for RecordingChallenger {
    type Witness = Val;

    fn grind(&mut self, bits: usize) -> Val {
        let witness = self.inner.clone().grind(bits);
        assert!(self.check_witness(bits, witness));
        witness
    }
}

/// The wrap configuration with a recording transcript.
pub type RecordingConfig =
    StarkConfig<<wrap::WrapConfig as StarkGenericConfig>::Pcs, Challenge, RecordingChallenger>;

/// [`wrap::config`] with a recording transcript; also returns the challenger, whose log every
/// transcript the configuration starts shares.
pub fn config(params: &FastParams) -> (RecordingConfig, RecordingChallenger) {
    let base = wrap::config(params);
    let challenger = RecordingChallenger::new();
    let config = StarkConfig::new(base.pcs().clone(), challenger.clone())
        .with_lookup_proof_of_work_bits(params.lookup_pow_bits)
        .with_ood_proof_of_work_bits(params.ood_pow_bits);
    (config, challenger)
}
