use geode_stark::config::wrap::{self, WrapConfig};
use geode_stark::{StarkProofOf, prove, verify};

use p3_field::PrimeCharacteristicRing;

use super::native::Native;
use super::proof::ProofView;
use super::shape::Shape;
use super::transcript::replay;
use super::{fri, ood, openings};
use crate::testing::{fixture, recording};

fn fixture_proof(start: u32) -> StarkProofOf<WrapConfig> {
    let config = wrap::config(&wrap::PARAMS);
    prove(
        &config,
        &fixture::CHIPS,
        &fixture::traces(start),
        &fixture::public_values(start),
    )
    .expect("the fixture proves")
}

#[test]
fn the_replayed_transcript_is_the_native_verifiers() {
    let start = 3;
    let proof = fixture_proof(start);
    let (config, challenger) = recording::config(&wrap::PARAMS);
    let bytes = proof.to_bytes().unwrap();
    let recorded = StarkProofOf::<recording::RecordingConfig>::from_bytes(&bytes).unwrap();
    verify(
        &config,
        &fixture::CHIPS,
        &recorded,
        &fixture::public_values(start),
    )
    .unwrap();
    let expected = challenger.log();

    let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
    let view = ProofView::native(&proof, &shape, &fixture::public_values(start));
    let mut t = Native::default();
    let challenges = replay(&mut t, &shape, &view);
    let first_difference = expected.iter().zip(&t.log).position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "ops differ at {first_difference:?}");
    assert_eq!(t.log.len(), expected.len());
    assert_eq!(t.pow_failures, 0);
    assert_eq!(challenges.query_indices.len(), wrap::PARAMS.num_queries);
    assert_eq!(challenges.fri_betas.len(), shape.fri_rounds);
}

/// Runs the native stages on `proof`; returns the backend and the openings (with full paths).
fn run_native(
    proof: &StarkProofOf<WrapConfig>,
    start: u32,
) -> (
    Native,
    Vec<openings::QueryOpening<geode_stark::Val, pasta_curves::Fp>>,
) {
    let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
    let view = ProofView::native(proof, &shape, &fixture::public_values(start));
    let mut b = Native::default();
    let challenges = replay(&mut b, &shape, &view);
    let indices = challenges.query_indices.clone();
    let mut queries = openings::query_openings(proof, &shape, &indices).unwrap();
    let rows = fri::fold_queries(&mut b, &shape, &view, &challenges, &queries);
    openings::restore_round_paths(proof, &shape, &indices, &rows, &mut queries).unwrap();
    fri::check_round_paths(&mut b, &shape, &view, &challenges, &queries, &rows);
    (b, queries)
}

/// Runs the native stages on `proof` with another proof's openings (a tampered proof's own
/// cannot be restored for the indices its changed transcript draws).
fn run_native_with(
    proof: &StarkProofOf<WrapConfig>,
    start: u32,
    queries: &[openings::QueryOpening<geode_stark::Val, pasta_curves::Fp>],
) -> Native {
    let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
    let view = ProofView::native(proof, &shape, &fixture::public_values(start));
    let mut b = Native::default();
    let challenges = replay(&mut b, &shape, &view);
    let rows = fri::fold_queries(&mut b, &shape, &view, &challenges, queries);
    fri::check_round_paths(&mut b, &shape, &view, &challenges, queries, &rows);
    let constraints = ood::constraints(&shape, &fixture::CHIPS).unwrap();
    ood::check_constraints(&mut b, &shape, &constraints, &view, &challenges);
    b
}

#[test]
fn the_opening_argument_accepts_an_honest_proof() {
    let proof = fixture_proof(5);
    let (b, queries) = run_native(&proof, 5);
    assert!(b.accepted(), "failures: {:?}", b.failures);
    assert!(run_native_with(&proof, 5, &queries).accepted());
}

#[test]
fn the_opening_argument_rejects_changed_openings() {
    let proof = fixture_proof(5);
    let (_, queries) = run_native(&proof, 5);
    // A changed claimed evaluation changes the transcript, hence the query indices.
    let mut tampered = fixture_proof(5);
    let v = &mut tampered.inner.opened_values.instances[1]
        .base_opened_values
        .trace_local[1];
    *v += geode_stark::Challenge::ONE;
    assert!(!run_native_with(&tampered, 5, &queries).accepted());
    // A changed opened row, a sibling value or a path node, with the transcript unchanged.
    let mut q = queries.clone();
    q[3].inputs[0].rows[1][0] += geode_stark::Val::ONE;
    let b = run_native_with(&proof, 5, &q);
    assert!(b.failures.contains(&"digest equality"), "{:?}", b.failures);
    let mut q = queries.clone();
    q[7].rounds[2].sibling[1] += geode_stark::Val::ONE;
    assert!(!run_native_with(&proof, 5, &q).accepted());
    let mut q = queries.clone();
    q[0].rounds[0].path[1] += pasta_curves::Fp::one();
    assert_eq!(run_native_with(&proof, 5, &q).failures, ["digest equality"]);
}

#[test]
fn the_constraint_check_rejects_a_wrong_public_value_or_quotient() {
    let proof = fixture_proof(5);
    let (_, queries) = run_native(&proof, 5);
    // The right proof against another public value: the walker's first row disagrees.
    let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
    let constraints = ood::constraints(&shape, &fixture::CHIPS).unwrap();
    let check = |proof: &StarkProofOf<WrapConfig>, start: u32| {
        let view = ProofView::native(proof, &shape, &fixture::public_values(start));
        let mut b = Native::default();
        let challenges = replay(&mut b, &shape, &view);
        ood::check_constraints(&mut b, &shape, &constraints, &view, &challenges);
        b.failures
    };
    assert!(check(&proof, 5).is_empty());
    // (The public value is absorbed too, so every chip's challenges change.)
    assert!(!check(&proof, 6).is_empty());
    let mut tampered = fixture_proof(5);
    tampered.inner.opened_values.instances[0]
        .base_opened_values
        .quotient_chunks[0][2] += geode_stark::Challenge::ONE;
    assert_eq!(check(&tampered, 5), ["extension equality"]);
    let mut tampered = fixture_proof(5);
    let t = tampered.inner.lookup_terminals[1].as_mut().unwrap();
    t.0 += geode_stark::Challenge::ONE;
    assert!(check(&tampered, 5).contains(&"extension equality"));
    let _ = queries;
}

mod circuit {
    use halo2_proofs::dev::MockProver;

    use super::*;
    use crate::ctx::WrapCircuit;
    use crate::verifier::run;
    use crate::with_circuit;

    #[test]
    fn the_circuit_computes_what_the_native_stages_do_and_is_satisfied() {
        let start = 5;
        let proof = fixture_proof(start);
        let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
        let constraints = ood::constraints(&shape, &fixture::CHIPS).unwrap();
        let pvs = fixture::public_values(start);
        let witness = run::native(&shape, &constraints, &proof, &pvs).unwrap();
        let (b, stages) = run::circuit_by_stage(&shape, &constraints, &witness);
        assert_eq!(b.ctx.first_failure(), None);
        let stats = b.ctx.stats();
        eprintln!("{stats:?}");
        for (stage, cost) in &stages {
            eprintln!("{stage:>22}: {cost:?}");
        }
        // The structure is the dummy witness's (the keys come from it).
        let dummy = run::circuit(&shape, &constraints, &run::Witness::dummy(&shape));
        assert_eq!(dummy.ctx.stats(), stats);
        let circuit = WrapCircuit::new(b.ctx);
        let k = circuit.min_k();
        let inputs = vec![run::public_inputs(&shape, &pvs)];
        let prover = with_circuit!(&circuit, c => MockProver::run(k, c, inputs)).unwrap();
        assert!(
            prover.verify().is_ok(),
            "the honest circuit is not satisfied"
        );
    }

    /// A witness the native stages reject, given to the circuit anyway, must leave it
    /// unsatisfiable: the circuit checks, it does not trust the prover's native run.
    #[test]
    fn a_rejected_stark_gives_an_unsatisfiable_circuit() {
        let start = 5;
        let proof = fixture_proof(start);
        let shape = Shape::new(&wrap::PARAMS, &fixture::CHIPS, proof.log_heights()).unwrap();
        let constraints = ood::constraints(&shape, &fixture::CHIPS).unwrap();
        let pvs = fixture::public_values(start);
        let honest = run::native(&shape, &constraints, &proof, &pvs).unwrap();
        let unsatisfied = |w: &run::Witness, pvs: &[Vec<geode_stark::Val>]| {
            let b = run::circuit(&shape, &constraints, w);
            assert!(b.ctx.first_failure().is_some());
            let circuit = WrapCircuit::new(b.ctx);
            let inputs = vec![run::public_inputs(&shape, pvs)];
            let prover =
                with_circuit!(&circuit, c => MockProver::run(circuit.min_k(), c, inputs)).unwrap();
            prover.verify().is_err()
        };
        // A tampered opening: one opened row value of one query.
        let mut w = honest.clone();
        w.queries[4].inputs[0].rows[1][2] += geode_stark::Val::ONE;
        assert!(unsatisfied(&w, &pvs));
        // A wrong public value (the statement the SNARK would claim).
        let mut w = honest.clone();
        let wrong = fixture::public_values(start + 1);
        w.view.public_values = wrong.clone();
        assert!(unsatisfied(&w, &wrong));
    }
}
