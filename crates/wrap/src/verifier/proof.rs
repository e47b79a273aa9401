//! A wrap-configuration proof as the verifier stages read it: every KoalaBear value a `K` and
//! every digest a `W`, natively (`Val`, `Fp`) or as circuit variables (see [`ProofView::map`]).

use geode_stark::config::wrap::WrapConfig;
use geode_stark::{Challenge, StarkProofOf, Val};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
use pasta_curves::Fp;

use super::shape::Shape;
use super::transcript::Ext;

/// One chip's opened values (each an extension element).
#[derive(Clone, Debug)]
pub struct OpenedInstance<K> {
    /// The main trace at `zeta`.
    pub trace_local: Vec<Ext<K>>,
    /// The main trace at the next row, when the chip reads it.
    pub trace_next: Option<Vec<Ext<K>>>,
    /// The fixed columns at `zeta`.
    pub preprocessed_local: Option<Vec<Ext<K>>>,
    /// The fixed columns at the next row, when the chip reads it.
    pub preprocessed_next: Option<Vec<Ext<K>>>,
    /// Each quotient chunk at `zeta`.
    pub quotient_chunks: Vec<Vec<Ext<K>>>,
    /// The LogUp columns (base-flattened) at `zeta`.
    pub permutation_local: Vec<Ext<K>>,
    /// The LogUp columns at the next row.
    pub permutation_next: Vec<Ext<K>>,
}

/// FRI's part of the proof (the query openings come with the FRI stage).
#[derive(Clone, Debug)]
pub struct FriView<K, W> {
    /// The grind before the batching challenge.
    pub batch_pow_witness: K,
    /// One commitment per folding round.
    pub commitments: Vec<W>,
    /// One grind per folding round.
    pub commit_pow_witnesses: Vec<K>,
    /// The final polynomial's coefficients.
    pub final_poly: Vec<Ext<K>>,
    /// The grind before the query indices.
    pub query_pow_witness: K,
}

/// The proof, with the public values it is checked against.
#[derive(Clone, Debug)]
pub struct ProofView<K, W> {
    /// The fixed tables' commitment (the STARK's verifying key: it binds the program), when
    /// any chip has fixed columns. Part of the statement: the circuit makes it public.
    pub preprocessed_commitment: Option<W>,
    /// The main traces' commitment.
    pub main_commitment: W,
    /// The LogUp traces' commitment, when any chip has lookups.
    pub permutation_commitment: Option<W>,
    /// The quotient chunks' commitment.
    pub quotient_commitment: W,
    /// Each chip's public values.
    pub public_values: Vec<Vec<K>>,
    /// The grind before the LogUp challenges (zero without lookups).
    pub lookup_pow_witness: K,
    /// The grind before `zeta`.
    pub ood_pow_witness: K,
    /// Each chip's LogUp terminal, when it has lookups.
    pub lookup_terminals: Vec<Option<Ext<K>>>,
    /// Each chip's opened values.
    pub instances: Vec<OpenedInstance<K>>,
    /// FRI.
    pub fri: FriView<K, W>,
}

fn ext(c: &Challenge) -> Ext<Val> {
    let s = c.as_basis_coefficients_slice();
    [s[0], s[1], s[2], s[3]]
}

fn exts(v: &[Challenge]) -> Vec<Ext<Val>> {
    v.iter().map(ext).collect()
}

impl ProofView<Val, Fp> {
    /// The view of a native proof of `shape` with its public values.
    pub fn native(
        proof: &StarkProofOf<WrapConfig>,
        shape: &Shape,
        public_values: &[Vec<Val>],
    ) -> Self {
        let p = &proof.inner;
        let word = |cap: &p3_symmetric::MerkleCap<
            Val,
            [geode_stark::config::wrap::PallasWord; 1],
        >| { cap.roots()[0][0].0 };
        let fri = &p.opening_proof;
        Self {
            preprocessed_commitment: shape.preprocessed_commitment,
            main_commitment: word(&p.commitments.main),
            permutation_commitment: p.commitments.permutation.as_ref().map(word),
            quotient_commitment: word(&p.commitments.quotient_chunks),
            public_values: public_values.to_vec(),
            lookup_pow_witness: p.lookup_pow_witness.unwrap_or(Val::ZERO),
            ood_pow_witness: p.ood_pow_witness,
            lookup_terminals: p
                .lookup_terminals
                .iter()
                .map(|t| t.as_ref().map(|t| ext(&t.0)))
                .collect(),
            instances: p
                .opened_values
                .instances
                .iter()
                .map(|o| {
                    let b = &o.base_opened_values;
                    OpenedInstance {
                        trace_local: exts(&b.trace_local),
                        trace_next: b.trace_next.as_deref().map(exts),
                        preprocessed_local: b.preprocessed.as_ref().map(|pp| exts(&pp.local)),
                        preprocessed_next: b
                            .preprocessed
                            .as_ref()
                            .and_then(|pp| pp.next.as_deref().map(exts)),
                        quotient_chunks: b.quotient_chunks.iter().map(|c| exts(c)).collect(),
                        permutation_local: exts(&o.permutation_local),
                        permutation_next: exts(&o.permutation_next),
                    }
                })
                .collect(),
            fri: FriView {
                batch_pow_witness: fri.batch_pow_witness,
                commitments: fri.commit_phase_commits.iter().map(word).collect(),
                commit_pow_witnesses: fri.commit_pow_witnesses.clone(),
                final_poly: exts(&fri.final_poly),
                query_pow_witness: fri.query_pow_witness,
            },
        }
    }
}

impl<K: Copy, W: Copy> ProofView<K, W> {
    /// The claimed evaluations in the order the opening argument absorbs them: the trace
    /// round, the quotient round, the preprocessed round, the LogUp round; in each, matrix by
    /// matrix and point by point.
    pub fn claimed_evaluations<'a>(&'a self, shape: &'a Shape) -> impl Iterator<Item = &'a Ext<K>> {
        let trace = self
            .instances
            .iter()
            .flat_map(|i| i.trace_local.iter().chain(i.trace_next.iter().flatten()));
        let quotient = self
            .instances
            .iter()
            .flat_map(|i| i.quotient_chunks.iter().flatten());
        let preprocessed = shape.preprocessed_instances.iter().flat_map(|&i| {
            let inst = &self.instances[i];
            inst.preprocessed_local
                .iter()
                .flatten()
                .chain(inst.preprocessed_next.iter().flatten())
        });
        let permutation = self
            .instances
            .iter()
            .flat_map(|i| i.permutation_local.iter().chain(&i.permutation_next));
        trace.chain(quotient).chain(preprocessed).chain(permutation)
    }

    /// The same proof with every value mapped by `kb` and every digest by `word` (for example
    /// into circuit variables), in a fixed order.
    pub fn map<K2: Copy, W2: Copy>(
        &self,
        kb: &mut impl FnMut(K) -> K2,
        word: &mut impl FnMut(W) -> W2,
    ) -> ProofView<K2, W2> {
        ProofView {
            preprocessed_commitment: self.preprocessed_commitment.map(&mut *word),
            main_commitment: word(self.main_commitment),
            permutation_commitment: self.permutation_commitment.map(&mut *word),
            quotient_commitment: word(self.quotient_commitment),
            public_values: self
                .public_values
                .iter()
                .map(|v| v.iter().map(|&x| kb(x)).collect())
                .collect(),
            lookup_pow_witness: kb(self.lookup_pow_witness),
            ood_pow_witness: kb(self.ood_pow_witness),
            lookup_terminals: self
                .lookup_terminals
                .iter()
                .map(|t| t.map(|t| t.map(&mut *kb)))
                .collect(),
            instances: self
                .instances
                .iter()
                .map(|i| {
                    let mut v = |x: &Vec<Ext<K>>| -> Vec<Ext<K2>> {
                        x.iter().map(|e| e.map(&mut *kb)).collect()
                    };
                    OpenedInstance {
                        trace_local: v(&i.trace_local),
                        trace_next: i.trace_next.as_ref().map(&mut v),
                        preprocessed_local: i.preprocessed_local.as_ref().map(&mut v),
                        preprocessed_next: i.preprocessed_next.as_ref().map(&mut v),
                        quotient_chunks: i.quotient_chunks.iter().map(&mut v).collect(),
                        permutation_local: v(&i.permutation_local),
                        permutation_next: v(&i.permutation_next),
                    }
                })
                .collect(),
            fri: FriView {
                batch_pow_witness: kb(self.fri.batch_pow_witness),
                commitments: self.fri.commitments.iter().map(|&w| word(w)).collect(),
                commit_pow_witnesses: self
                    .fri
                    .commit_pow_witnesses
                    .iter()
                    .map(|&x| kb(x))
                    .collect(),
                final_poly: self
                    .fri
                    .final_poly
                    .iter()
                    .map(|e| e.map(&mut *kb))
                    .collect(),
                query_pow_witness: kb(self.fri.query_pow_witness),
            },
        }
    }
}
