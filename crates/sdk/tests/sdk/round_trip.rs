//! Execute, prove, verify and read typed values; mock proofs and proofs of other programs.

use geode_sdk::{BackendId, ExecError, ProverClient, PublicValues, SdkError, Stdin, VerifyingKey};

use crate::{elf, fibonacci, fibonacci_stdin};

#[test]
fn executes_with_typed_input_and_output() {
    let client = ProverClient::new();
    let (mut values, report) = client
        .execute(&elf("fibonacci"), &fibonacci_stdin())
        .unwrap();
    assert_eq!(report.exit_code, 0);
    assert!(report.output_digest_matches);
    assert!(report.cycles > 10, "{report:?}");
    assert_eq!(String::from_utf8_lossy(&report.stdout), "fib(10) = 55\n");
    assert_eq!(values.read::<u32>().unwrap(), 10);
    assert_eq!(values.read::<u32>().unwrap(), 55);
    assert!(values.remaining().is_empty());
    assert!(
        matches!(values.read::<u32>(), Err(SdkError::Codec(_))),
        "reading past the end is an error"
    );
}

#[test]
fn the_cycle_limit_of_the_builder_applies() {
    let client = ProverClient::builder().max_cycles(50).build();
    let err = client
        .execute(&elf("fibonacci"), &fibonacci_stdin())
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Execution(ExecError::CycleLimit { .. })),
        "{err}"
    );
    let (pk, _) = client.setup(&elf("fibonacci")).unwrap();
    let err = client
        .prove(&pk, &fibonacci_stdin())
        .mock()
        .run()
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Execution(ExecError::CycleLimit { .. })),
        "{err}"
    );
}

#[test]
fn a_run_longer_than_one_proof_is_refused() {
    let client = ProverClient::new();
    let (pk, _) = client.setup(&elf("fibonacci")).unwrap();
    let mut stdin = Stdin::new();
    stdin.write(&5_000_000u32).unwrap(); // about 20 million cycles
    // The mock runs under the real prover's limit, so it refuses too (and quickly).
    let err = client.prove(&pk, &stdin).mock().run().unwrap_err();
    assert!(
        matches!(err, SdkError::TooLongToProve { max } if max == geode_sdk::MAX_PROVABLE_CYCLES),
        "{err}"
    );
}

#[test]
fn bad_elf_bytes_are_an_error() {
    let client = ProverClient::new();
    for bytes in [&b""[..], b"\x7fELF", &[0u8; 64]] {
        assert!(matches!(
            client.execute(bytes, &Stdin::new()),
            Err(SdkError::Elf(_))
        ));
        assert!(matches!(client.setup(bytes), Err(SdkError::Elf(_))));
        assert!(matches!(
            VerifyingKey::from_elf(bytes),
            Err(SdkError::Elf(_))
        ));
    }
}

#[test]
fn proves_verifies_and_reads_typed_public_values() {
    let (_, vk, proof) = fibonacci();
    assert_eq!(proof.backend, BackendId::Stark);
    assert_eq!(proof.exit_code, 0);
    assert_eq!(proof.vk_digest, vk.digest());
    ProverClient::new().verify(proof, vk).unwrap();
    let mut values = proof.public_values.clone();
    let (n, fib): (u32, u32) = (values.read().unwrap(), values.read().unwrap());
    assert_eq!((n, fib), (10, 55));
    // The same values as executing.
    let (executed, _) = ProverClient::new()
        .execute(&elf("fibonacci"), &fibonacci_stdin())
        .unwrap();
    assert_eq!(executed, proof.public_values);
}

#[test]
fn typed_public_values_round_trip() {
    // What a guest committing these values with io::commit (postcard) produces.
    let mut bytes = postcard_bytes(&(7u32, u64::MAX, -3i32));
    bytes.extend(postcard_bytes(&"geode"));
    bytes.extend(postcard_bytes(&vec![1u16, 2, 3]));
    bytes.extend([0xaa; 4]); // io::commit_slice
    let mut values = PublicValues::from_bytes(bytes.clone());
    assert_eq!(values.read::<(u32, u64, i32)>().unwrap(), (7, u64::MAX, -3));
    assert_eq!(values.read::<String>().unwrap(), "geode");
    assert!(values.read::<bool>().is_err(), "a wrong type is an error");
    assert_eq!(values.read::<Vec<u16>>().unwrap(), [1, 2, 3]);
    assert!(matches!(
        values.read_slice(5),
        Err(SdkError::PublicValuesExhausted { wanted: 5, left: 4 })
    ));
    assert_eq!(values.read_slice(4).unwrap(), [0xaa; 4]);
    assert!(values.remaining().is_empty());
    assert_eq!(values.as_bytes(), bytes);
    values.rewind();
    assert_eq!(values.read::<u32>().unwrap(), 7);
}

fn postcard_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut stdin = Stdin::new();
    stdin.write(value).unwrap();
    // A frame is a 4-byte length and the postcard encoding.
    stdin.as_bytes()[4..].to_vec()
}

#[test]
fn a_mock_proof_carries_the_values_and_never_verifies() {
    let (pk, vk, stark) = fibonacci();
    let client = ProverClient::new();
    let mut mock = client.prove(pk, &fibonacci_stdin()).mock().run().unwrap();
    assert_eq!(mock.backend, BackendId::Mock);
    assert_eq!(mock.public_values, stark.public_values);
    assert_eq!(mock.exit_code, 0);
    assert!(mock.payload.is_empty());
    assert!(matches!(client.verify(&mock, vk), Err(SdkError::MockProof)));
    // Not even with a real STARK payload, nor after a trip through bytes.
    mock.payload = stark.payload.clone();
    assert!(matches!(client.verify(&mock, vk), Err(SdkError::MockProof)));
    let reloaded = geode_sdk::GeodeProof::from_bytes(&mock.to_bytes().unwrap()).unwrap();
    assert!(matches!(
        client.verify(&reloaded, vk),
        Err(SdkError::MockProof)
    ));
    // And a STARK envelope with a mock's empty payload is malformed, not accepted.
    let mut empty = stark.clone();
    empty.payload.clear();
    assert!(matches!(
        client.verify(&empty, vk),
        Err(SdkError::MalformedProof(_))
    ));
}

#[test]
fn hostile_wrapped_payloads_are_rejected_without_panic() {
    let (_, vk, proof) = fibonacci();
    let client = ProverClient::new();
    let mut wrapped = proof.clone();
    wrapped.backend = geode_sdk::BackendId::Halo2;
    // A STARK payload, random bytes, nothing: none decodes as a wrapped proof.
    for payload in [proof.payload.clone(), vec![0x55; 300], Vec::new()] {
        wrapped.payload = payload;
        let err = client.verify(&wrapped, vk).unwrap_err();
        assert!(matches!(err, SdkError::MalformedProof(_)), "{err}");
    }
    // A well-formed wrapped proof whose chips and heights disagree, or name a height out of
    // range, is refused before any key is derived.
    for (chips, heights) in [
        (vec!["cpu".to_owned()], vec![]),
        (vec!["cpu".to_owned()], vec![40]),
    ] {
        let snark = geode_wrap::SnarkProof {
            version: geode_wrap::snark::SNARK_VERSION,
            k: 10,
            public_inputs: vec![],
            proof: vec![1, 2, 3],
        };
        let p = geode_sdk::WrappedProof {
            chips,
            log_heights: heights,
            snark,
        };
        wrapped.payload = postcard::to_allocvec(&p).unwrap();
        let err = client.verify(&wrapped, vk).unwrap_err();
        assert!(matches!(err, SdkError::MalformedProof(_)), "{err}");
    }
}

#[test]
fn a_proof_is_rejected_against_another_programs_key() {
    let (_, fib_vk, proof) = fibonacci();
    let client = ProverClient::new();
    let (_, hello_vk) = client.setup(&elf("hello")).unwrap();
    assert_ne!(hello_vk.digest(), fib_vk.digest());
    let err = client.verify(proof, &hello_vk).unwrap_err();
    assert!(
        matches!(err, SdkError::VkMismatch { expected, found }
            if expected == hello_vk.digest() && found == fib_vk.digest()),
        "{err}"
    );
    // A proof that lies about its key gets past the digest check and fails the STARK.
    let mut forged = proof.clone();
    forged.vk_digest = hello_vk.digest();
    let err = client.verify(&forged, &hello_vk).unwrap_err();
    assert!(matches!(err, SdkError::InvalidProof(_)), "{err}");
}

#[test]
fn a_proof_binds_its_public_values_and_exit_code() {
    let (_, vk, proof) = fibonacci();
    let client = ProverClient::new();
    let mut other_values = proof.clone();
    let mut bytes = proof.public_values.as_bytes().to_vec();
    bytes[1] ^= 1; // fib(10) = 55 becomes 54
    other_values.public_values = PublicValues::from_bytes(bytes);
    assert!(matches!(
        client.verify(&other_values, vk),
        Err(SdkError::InvalidProof(_))
    ));
    let mut other_exit = proof.clone();
    other_exit.exit_code = 1;
    assert!(matches!(
        client.verify(&other_exit, vk),
        Err(SdkError::InvalidProof(_))
    ));
}

#[test]
fn keys_depend_on_the_elf_alone() {
    let client = ProverClient::new();
    let elf = elf("fibonacci");
    let (pk, vk) = client.setup(&elf).unwrap();
    assert_eq!(vk.digest(), VerifyingKey::from_elf(&elf).unwrap().digest());
    assert_eq!(pk.verifying_key().digest(), vk.digest());
    assert_eq!(vk.digest(), fibonacci().1.digest());
    assert_eq!(vk.digest().to_string().len(), 2 + 64);
}
