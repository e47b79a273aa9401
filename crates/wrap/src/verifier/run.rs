//! All the stages in order: natively (which also restores the full Merkle paths the circuit
//! checks) and in the circuit.

use std::cell::RefCell;

use geode_stark::config::wrap::WrapConfig;
use geode_stark::config::wrap::poseidon::{VALUES_PER_CELL, pack};
use geode_stark::{StarkProofOf, Val};
use p3_field::PrimeCharacteristicRing;
use pasta_curves::Fp;

use super::circuit::CircuitBackend;
use super::native::Native;
use super::ood::{AirConstraints, check_constraints};
use super::openings::{
    InputOpening, QueryOpening, RoundOpening, query_openings, restore_round_paths,
};
use super::proof::{FriView, OpenedInstance, ProofView};
use super::shape::Shape;
use super::transcript::replay;
use super::{fri, ood};
use crate::WrapError;
use crate::field::Kb;
use crate::hash::pack_terms;

/// A proof ready for the circuit: its view and each query's openings with full paths.
#[derive(Clone, Debug)]
pub struct Witness {
    /// The proof's values.
    pub view: ProofView<Val, Fp>,
    /// Each query's openings.
    pub queries: Vec<QueryOpening<Val, Fp>>,
}

/// Runs every stage natively on `proof` with `public_values`, and returns the circuit's
/// witness if all checks pass.
///
/// # Errors
/// [`WrapError::Rejected`] naming the first failed check, or [`WrapError::Shape`] if the
/// proof does not have the shape.
pub fn native(
    shape: &Shape,
    constraints: &[AirConstraints],
    proof: &StarkProofOf<WrapConfig>,
    public_values: &[Vec<Val>],
) -> Result<Witness, WrapError> {
    let heights: Vec<usize> = shape.instances.iter().map(|i| i.log_height).collect();
    if proof.log_heights() != heights.as_slice() || public_values.len() != heights.len() {
        return Err(WrapError::Shape(
            "the proof's chips or heights are not the shape's".into(),
        ));
    }
    let view = ProofView::native(proof, shape, public_values);
    let mut b = Native::default();
    let challenges = replay(&mut b, shape, &view);
    let indices = challenges.query_indices.clone();
    let mut queries = query_openings(proof, shape, &indices)?;
    let rows = fri::fold_queries(&mut b, shape, &view, &challenges, &queries);
    restore_round_paths(proof, shape, &indices, &rows, &mut queries)?;
    fri::check_round_paths(&mut b, shape, &view, &challenges, &queries, &rows);
    check_constraints(&mut b, shape, constraints, &view, &challenges);
    if b.pow_failures > 0 {
        return Err(WrapError::Rejected("a proof-of-work witness".into()));
    }
    if let Some(f) = b.failures.first() {
        return Err(WrapError::Rejected((*f).into()));
    }
    Ok(Witness { view, queries })
}

/// Builds the circuit that verifies `witness`: the public inputs are the preprocessed
/// commitment (when the shape has one) and then every chip's public values, in order, packed
/// eight to an input ([`public_inputs`]).
pub fn circuit(shape: &Shape, constraints: &[AirConstraints], witness: &Witness) -> CircuitBackend {
    circuit_by_stage(shape, constraints, witness).0
}

/// The cost of each stage of the circuit: its gate rows, lookup cells and permutations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageCost {
    /// Rows of the vanilla gate, over all lanes.
    pub gate_rows: usize,
    /// Range-check lookup cells, at 16-bit limbs.
    pub lookup_cells: usize,
    /// Poseidon permutations (37 lane rows each).
    pub poseidon_perms: usize,
}

/// [`circuit`], with what each stage added: loading the witness, the transcript, the
/// opening argument (input openings, reduced openings, folds), the FRI rounds' Merkle paths,
/// and the constraints at `zeta` with the LogUp sum.
pub fn circuit_by_stage(
    shape: &Shape,
    constraints: &[AirConstraints],
    witness: &Witness,
) -> (CircuitBackend, Vec<(&'static str, StageCost)>) {
    let mut costs = Vec::new();
    let mut last = StageCost::default();
    let mut mark = |b: &CircuitBackend, stage: &'static str| {
        let s = b.ctx.stats();
        let now = StageCost {
            gate_rows: s.gate_rows,
            lookup_cells: b.ctx.lookup_cells_at(crate::ctx::LOOKUP_BITS),
            poseidon_perms: s.poseidon_perms,
        };
        costs.push((
            stage,
            StageCost {
                gate_rows: now.gate_rows - last.gate_rows,
                lookup_cells: now.lookup_cells - last.lookup_cells,
                poseidon_perms: now.poseidon_perms - last.poseidon_perms,
            },
        ));
        last = now;
    };
    let mut b = CircuitBackend::new();
    let (view, queries) = {
        let ctx = RefCell::new(&mut b.ctx);
        let mut kb = |v: Val| Kb::load_canonical(&mut ctx.borrow_mut(), v);
        let mut word = |w: Fp| ctx.borrow_mut().witness(w);
        let view = witness.view.map(&mut kb, &mut word);
        // The opened rows are only hashed and multiplied: below 2^31 is enough (a leaf binds
        // the integer, which stands for its residue).
        let mut weak = |v: Val| Kb::load_weak(&mut ctx.borrow_mut(), v);
        let queries: Vec<_> = witness
            .queries
            .iter()
            .map(|q| q.map(&mut weak, &mut word))
            .collect();
        (view, queries)
    };
    if let Some(c) = view.preprocessed_commitment {
        b.ctx.expose_public(c);
    }
    // Eight canonical values to an input (`Σ v_i · 2^(31 i)`, injective as each is below
    // 2^31): the statement costs the SNARK's verifier a few field elements, not one a value.
    let values: Vec<_> = view
        .public_values
        .iter()
        .flatten()
        .map(|v| v.var())
        .collect();
    for chunk in values.chunks(VALUES_PER_CELL) {
        let packed = b.ctx.linear(&pack_terms(chunk), ff::Field::ZERO);
        b.ctx.expose_public(packed);
    }
    mark(&b, "witness");
    let challenges = replay(&mut b, shape, &view);
    mark(&b, "transcript");
    let rows = fri::fold_queries(&mut b, shape, &view, &challenges, &queries);
    mark(&b, "openings and folds");
    fri::check_round_paths(&mut b, shape, &view, &challenges, &queries, &rows);
    mark(&b, "FRI round paths");
    ood::check_constraints(&mut b, shape, constraints, &view, &challenges);
    mark(&b, "constraints at zeta");
    (b, costs)
}

/// The public inputs [`circuit`] exposes for `public_values`: the preprocessed commitment,
/// then the chips' public values in order, packed eight to an input
/// (`geode_stark::config::wrap::poseidon::pack`).
pub fn public_inputs(shape: &Shape, public_values: &[Vec<Val>]) -> Vec<Fp> {
    let values: Vec<Val> = public_values.iter().flatten().copied().collect();
    shape
        .preprocessed_commitment
        .into_iter()
        .chain(values.chunks(VALUES_PER_CELL).map(pack))
        .collect()
}

impl Witness {
    /// A witness of `shape` with every value zero: the circuit built from it has the structure
    /// of every circuit of the shape (which depends on the code path only), so the verifier
    /// derives the keys from it without a proof.
    pub fn dummy(shape: &Shape) -> Self {
        let zero = Val::ZERO;
        let ext = [zero; 4];
        let exts = |n: usize| vec![ext; n];
        let instances = shape
            .instances
            .iter()
            .map(|i| OpenedInstance {
                trace_local: exts(i.width),
                trace_next: i.opens_next.then(|| exts(i.width)),
                preprocessed_local: (i.preprocessed_width > 0).then(|| exts(i.preprocessed_width)),
                preprocessed_next: i
                    .preprocessed_opens_next
                    .then(|| exts(i.preprocessed_width)),
                quotient_chunks: vec![exts(4); 1 << i.log_num_quotient_chunks],
                permutation_local: exts(i.permutation_width() * 4),
                permutation_next: exts(i.permutation_width() * 4),
            })
            .collect();
        let has_lookups = shape.instances.iter().any(|i| i.num_lookups > 0);
        let view = ProofView {
            preprocessed_commitment: shape.preprocessed_commitment.map(|_| Fp::zero()),
            main_commitment: Fp::zero(),
            permutation_commitment: has_lookups.then(Fp::zero),
            quotient_commitment: Fp::zero(),
            public_values: shape
                .instances
                .iter()
                .map(|i| vec![zero; i.num_public_values])
                .collect(),
            lookup_pow_witness: zero,
            ood_pow_witness: zero,
            lookup_terminals: shape
                .instances
                .iter()
                .map(|i| (i.num_lookups > 0).then_some(ext))
                .collect(),
            instances,
            fri: FriView {
                batch_pow_witness: zero,
                commitments: vec![Fp::zero(); shape.fri_rounds],
                commit_pow_witnesses: vec![zero; shape.fri_rounds],
                final_poly: exts(1),
                query_pow_witness: zero,
            },
        };
        let blowup = shape.params.log_blowup;
        let widths = shape.input_widths();
        let inputs: Vec<InputOpening<Val, Fp>> = shape
            .input_log_heights()
            .iter()
            .zip(&widths)
            .map(|(heights, widths)| InputOpening {
                rows: widths.iter().map(|&w| vec![zero; w]).collect(),
                path: vec![Fp::zero(); heights.iter().max().map_or(0, |h| h + blowup)],
            })
            .collect();
        let rounds = (0..shape.fri_rounds)
            .map(|r| RoundOpening {
                sibling: ext,
                path: vec![Fp::zero(); shape.index_bits - r - 1],
            })
            .collect();
        let query = QueryOpening { inputs, rounds };
        Self {
            view,
            queries: vec![query; shape.params.num_queries],
        }
    }
}
