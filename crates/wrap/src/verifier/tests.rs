use geode_stark::config::wrap::{self, WrapConfig};
use geode_stark::{StarkProofOf, prove, verify};

use super::native::NativeTranscript;
use super::proof::ProofView;
use super::shape::Shape;
use super::transcript::replay;
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
    let view = ProofView::native(&proof, &fixture::public_values(start));
    let mut t = NativeTranscript::default();
    let challenges = replay(&mut t, &shape, &view);
    let first_difference = expected.iter().zip(&t.log).position(|(a, b)| a != b);
    assert_eq!(first_difference, None, "ops differ at {first_difference:?}");
    assert_eq!(t.log.len(), expected.len());
    assert_eq!(t.pow_failures, 0);
    assert_eq!(challenges.query_indices.len(), wrap::PARAMS.num_queries);
    assert_eq!(challenges.fri_betas.len(), shape.fri_rounds);
}
