//! The SNARK of a fixture STARK: real keys, proof and verification, and what must be
//! rejected.

use std::time::Instant;

use geode_stark::config::wrap;
use geode_stark::prove;
use geode_wrap::ctx::{LANES, NARROW_LANES, TapeCircuit, WrapCircuit};
use geode_wrap::testing::fixture;
use geode_wrap::{SnarkProof, WrapError, Wrapper, snark};
use halo2_proofs::plonk::VerifyingKey;
use pasta_curves::group::ff::PrimeField;
use pasta_curves::vesta;

#[test]
fn a_fixture_stark_wraps_into_a_snark_that_verifies_and_binds_its_statement() {
    let start = 5;
    let config = wrap::config(&wrap::PARAMS);
    let pvs = fixture::public_values(start);
    let stark = prove(&config, &fixture::CHIPS, &fixture::traces(start), &pvs).unwrap();
    let wrapper = Wrapper::new(&wrap::PARAMS, &fixture::CHIPS, stark.log_heights()).unwrap();

    let t = Instant::now();
    let keys = wrapper.keys().unwrap();
    eprintln!("keys: {:?}, k = {}", t.elapsed(), keys.params.k());
    let t = Instant::now();
    let snark = wrapper.prove(&keys, &stark, &pvs).unwrap();
    let bytes = snark.to_bytes().unwrap();
    eprintln!("prove: {:?}, {} bytes", t.elapsed(), bytes.len());

    // The verifier's key comes from the cache `keys` filled, and is the key `keys` made.
    let name = wrapper.key_name();
    assert!(snark::cached_verifying_key::<TapeCircuit<NARROW_LANES>>(&name).is_some());
    assert_eq!(keys.lanes, NARROW_LANES, "the fixture is a small circuit");
    let verifier = wrapper.verifier().unwrap();
    let pinned = |vk: &VerifyingKey<vesta::Affine>| format!("{:?}", vk.pinned());
    assert_eq!(pinned(&verifier.vk), pinned(keys.pk.get_vk()));
    let snark = SnarkProof::from_bytes(&bytes).unwrap();
    let t = Instant::now();
    wrapper.verify(&verifier, &snark, &pvs).unwrap();
    eprintln!("verify: {:?}", t.elapsed());

    // The halo2 verifier itself rejects (not the envelope's check that the inputs are the
    // claim's): the error is that of `verify_proof`.
    let by_halo2 = |r: Result<(), WrapError>| matches!(r, Err(WrapError::SnarkRejected(m)) if m.starts_with("halo2"));
    // Another public value, claimed with the proof's inputs rewritten to match it.
    let claim = fixture::public_values(6);
    let mut forged = snark.clone();
    forged.public_inputs = wrapper
        .public_inputs(&claim)
        .iter()
        .map(|x| x.to_repr())
        .collect();
    assert_ne!(forged.inputs(), snark.inputs());
    assert!(by_halo2(wrapper.verify(&verifier, &forged, &claim)));
    // The same claim without rewriting them: the envelope's check.
    assert!(matches!(
        wrapper.verify(&verifier, &snark, &claim),
        Err(WrapError::SnarkRejected(_))
    ));
    // Another program (another fixed-table commitment) with the same statement otherwise.
    let mut other = snark.inputs();
    other[0] += pasta_curves::Fp::one();
    let mut forged = snark.clone();
    forged.public_inputs = other.iter().map(|x| x.to_repr()).collect();
    assert!(by_halo2(snark::verify(
        &verifier.params,
        &verifier.vk,
        &forged,
        &other
    )));
    // Flipped bytes of the proof: rejected, by the decoder or the verifier, never accepted.
    for i in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
        let mut b = bytes.clone();
        b[i] ^= 0x10;
        let accepted =
            SnarkProof::from_bytes(&b).is_ok_and(|p| wrapper.verify(&verifier, &p, &pvs).is_ok());
        assert!(!accepted, "flipping byte {i} was accepted");
    }
}

/// A verifying key reads back as itself; bytes that are not a key of the circuit are an error,
/// never a panic or another key.
#[test]
fn a_verifying_key_reads_back_and_hostile_bytes_are_rejected() {
    let config = wrap::config(&wrap::PARAMS);
    let pvs = fixture::public_values(5);
    let stark = prove(&config, &fixture::CHIPS, &fixture::traces(5), &pvs).unwrap();
    let wrapper = Wrapper::new(&wrap::PARAMS, &fixture::CHIPS, stark.log_heights()).unwrap();
    let WrapCircuit::Narrow(circuit) = wrapper.structure() else {
        panic!("the fixture's circuit has the narrow lanes");
    };
    let params = snark::params(circuit.min_k());
    let vk = snark::verifying_key(&params, &circuit).unwrap();
    let mut bytes = Vec::new();
    vk.write(&mut bytes).unwrap();
    let read =
        |b: &[u8]| VerifyingKey::<vesta::Affine>::read::<TapeCircuit<NARROW_LANES>, _>(&mut &b[..]);
    let back = read(&bytes).unwrap();
    assert_eq!(format!("{:?}", back.pinned()), format!("{:?}", vk.pinned()));
    // Not a key of the circuit on the other lanes.
    assert!(VerifyingKey::<vesta::Affine>::read::<TapeCircuit<LANES>, _>(&mut &bytes[..]).is_err());

    assert!(read(&bytes[..bytes.len() - 1]).is_err(), "truncated");
    for offset in [0, 4, 8] {
        // k, the fixed count, the first commitment's first byte.
        let mut b = bytes.clone();
        b[offset] ^= 1;
        let changed = read(&b).map(|vk| format!("{:?}", vk.pinned()));
        assert!(
            changed.is_err() || changed.as_deref().ok() != Some(&format!("{:?}", vk.pinned())),
            "byte {offset}"
        );
    }
    let mut b = bytes.clone();
    b[0..4].copy_from_slice(&40u32.to_le_bytes());
    assert!(read(&b).is_err(), "k out of range");
}

/// The name a verifying key is cached under is a function of the shape: the same for the same
/// chips and heights built twice, another for other heights.
#[test]
fn the_key_name_is_the_shapes() {
    let config = wrap::config(&wrap::PARAMS);
    let pvs = fixture::public_values(5);
    let stark = prove(&config, &fixture::CHIPS, &fixture::traces(5), &pvs).unwrap();
    let name = |h: &[usize]| {
        Wrapper::new(&wrap::PARAMS, &fixture::CHIPS, h)
            .unwrap()
            .key_name()
    };
    let h = stark.log_heights().to_vec();
    // The first chip has a fixed table, which sets its height; the second does not.
    let taller = vec![h[0], h[1] + 1];
    assert_eq!(name(&h), name(&h));
    assert_ne!(name(&h), name(&taller));
    // A height the fixed table does not have, or out of range: an error, not a panic.
    for bad in [vec![h[0] + 1, h[1]], vec![h[0], 0], vec![h[0], 40]] {
        assert!(Wrapper::new(&wrap::PARAMS, &fixture::CHIPS, &bad).is_err());
    }
}
