//! Stage 1: the transcript. Replays every absorb and squeeze of the native verifier
//! (`p3-batch-stark` around `p3-fri`, on [`geode_stark::config::wrap::WrapChallenger`]), in
//! its order, and returns every challenge the later stages use.
//!
//! The replay is written once over [`TranscriptBackend`]: natively (checked operation by
//! operation against what the native verifier did) and in the circuit.
//!
//! # Order
//!
//! ```text
//! batch seed (constants of the shape)
//! degree bits (constants of the shape), main commitment, public values,
//! [preprocessed commitment (the program's; public)]
//! [lookup grind, LogUp alpha, beta, permutation commitment, terminals]
//! constraint challenge, quotient commitment, ood grind, zeta
//! PCS seed, every claimed evaluation, batch grind, FRI alpha
//! FRI seed, per round: commitment, grind, beta; final polynomial, query grind, query indices
//! ```
//!
//! # Soundness
//! Each grind is a constrained check: the sampled bits after absorbing the witness are zero.
//! Constants of the shape are circuit constants, so a proof cannot change them.

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::proof::ProofView;
use super::shape::Shape;

/// What the replay needs of a transcript: absorbing values and digests, squeezing values and
/// bits, and checking a grind.
pub trait TranscriptBackend {
    /// A KoalaBear value.
    type Kb: Copy;
    /// A digest word.
    type Word: Copy;
    /// Sampled bits (and their value).
    type Bits: Clone;

    /// A constant of the shape.
    fn constant(&mut self, v: Val) -> Self::Kb;
    /// Absorbs a value.
    fn observe(&mut self, v: Self::Kb);
    /// Absorbs a digest word.
    fn observe_word(&mut self, w: Self::Word);
    /// Squeezes a value.
    fn sample(&mut self) -> Self::Kb;
    /// Squeezes `bits` bits.
    fn sample_bits(&mut self, bits: usize) -> Self::Bits;
    /// Absorbs `witness` and checks the next `bits` bits are zero (a constraint in the
    /// circuit; natively, a recorded failure).
    fn check_pow(&mut self, bits: usize, witness: Self::Kb);
}

/// An extension element as its four coefficients.
pub type Ext<K> = [K; 4];

/// Every challenge of a run.
#[derive(Clone, Debug)]
pub struct Challenges<K, B> {
    /// LogUp's `alpha` and `beta` (absent without lookups).
    pub lookup: Option<(Ext<K>, Ext<K>)>,
    /// The constraint-folding challenge.
    pub constraint_alpha: Ext<K>,
    /// The out-of-domain point.
    pub zeta: Ext<K>,
    /// The PCS batching challenge.
    pub fri_alpha: Ext<K>,
    /// One folding challenge per FRI round.
    pub fri_betas: Vec<Ext<K>>,
    /// The query indices, as sampled bits.
    pub query_indices: Vec<B>,
}

fn observe_ext<T: TranscriptBackend>(t: &mut T, e: &Ext<T::Kb>) {
    for &c in e {
        t.observe(c);
    }
}

fn sample_ext<T: TranscriptBackend>(t: &mut T) -> Ext<T::Kb> {
    [t.sample(), t.sample(), t.sample(), t.sample()]
}

/// Replays the transcript of `proof` (of shape `shape`) on `t`.
pub fn replay<T: TranscriptBackend>(
    t: &mut T,
    shape: &Shape,
    proof: &ProofView<T::Kb, T::Word>,
) -> Challenges<T::Kb, T::Bits> {
    let params = &shape.params;
    for &v in &shape.batch_seed {
        let c = t.constant(v);
        t.observe(c);
    }
    for inst in &shape.instances {
        let bits = t.constant(Val::from_usize(inst.log_height));
        let zero = t.constant(Val::ZERO);
        observe_ext(t, &[bits, zero, zero, zero]);
    }
    t.observe_word(proof.main_commitment);
    for values in &proof.public_values {
        for &v in values {
            t.observe(v);
        }
    }
    if let Some(c) = proof.preprocessed_commitment {
        t.observe_word(c);
    }
    let lookup = proof.permutation_commitment.map(|commitment| {
        t.check_pow(params.lookup_pow_bits, proof.lookup_pow_witness);
        let alpha = sample_ext(t);
        let beta = sample_ext(t);
        t.observe_word(commitment);
        for terminal in proof.lookup_terminals.iter().flatten() {
            observe_ext(t, terminal);
        }
        (alpha, beta)
    });
    let constraint_alpha = sample_ext(t);
    t.observe_word(proof.quotient_commitment);
    t.check_pow(params.ood_pow_bits, proof.ood_pow_witness);
    let zeta = sample_ext(t);

    for &v in &shape.pcs_seed {
        let c = t.constant(v);
        t.observe(c);
    }
    for value in proof.claimed_evaluations(shape) {
        observe_ext(t, value);
    }
    t.check_pow(params.batch_pow_bits, proof.fri.batch_pow_witness);
    let fri_alpha = sample_ext(t);

    for &v in &shape.fri_seed {
        let c = t.constant(v);
        t.observe(c);
    }
    let mut fri_betas = Vec::with_capacity(shape.fri_rounds);
    for (&commitment, &witness) in proof
        .fri
        .commitments
        .iter()
        .zip(&proof.fri.commit_pow_witnesses)
    {
        t.observe_word(commitment);
        t.check_pow(params.commit_pow_bits, witness);
        fri_betas.push(sample_ext(t));
    }
    for c in &proof.fri.final_poly {
        observe_ext(t, c);
    }
    t.check_pow(params.query_pow_bits, proof.fri.query_pow_witness);
    let query_indices = (0..params.num_queries)
        .map(|_| t.sample_bits(shape.index_bits))
        .collect();
    Challenges {
        lookup,
        constraint_alpha,
        zeta,
        fri_alpha,
        fri_betas,
        query_indices,
    }
}
