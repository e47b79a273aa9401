//! Real guest programs (Rust, through the guest runtime) proven and verified end to end, and
//! the checks a verifier makes on the claim.

use geode_executor::Stdin;
use geode_machine::RiscvMachine;
use geode_stark::StarkProof;
use geode_tests::program;

fn prove_and_verify(name: &str, stdin: &Stdin) -> (RiscvMachine, StarkProof, u32, Vec<u8>) {
    let machine = RiscvMachine::new(program(name));
    let (out, proof) = machine
        .prove(stdin)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let proof = StarkProof::from_bytes(&proof.to_bytes().unwrap()).unwrap();
    machine
        .verify(&proof, out.exit_code, &out.public_output)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (machine, proof, out.exit_code, out.public_output)
}

#[test]
fn hello_is_proven() {
    let (machine, proof, code, output) = prove_and_verify("hello", &Stdin::new());
    assert_eq!(code, 0);
    let mut forged = output.clone();
    *forged.last_mut().unwrap() ^= 1;
    assert!(
        machine.verify(&proof, code, &forged).is_err(),
        "a changed output must be rejected"
    );
    assert!(
        machine.verify(&proof, 1, &output).is_err(),
        "a changed exit code must be rejected"
    );
}

#[test]
fn fibonacci_with_input_is_proven() {
    let mut stdin = Stdin::new();
    stdin.write(&25u32).unwrap();
    let (_, proof, _, output) = prove_and_verify("fibonacci", &stdin);
    assert!(proof.chips.iter().any(|c| c == "hint_read"));
    let mut values = geode_executor::PublicValuesReader::new(&output);
    assert_eq!(
        (values.read::<u32>().unwrap(), values.read::<u32>().unwrap()),
        (25, 75025)
    );
    // The proof is for fibonacci: hello's verifying key rejects it.
    let hello = RiscvMachine::new(program("hello"));
    assert!(hello.verify(&proof, 0, &output).is_err());
}

#[test]
fn isa_check_is_proven() {
    // Every RV32IM instruction and edge case (x0 destinations included), ~380k cycles.
    let (_, proof, code, output) = prove_and_verify("isa-check", &Stdin::new());
    assert_eq!(code, 0);
    assert!(!output.is_empty());
    assert!(proof.chips.iter().any(|c| c == "divrem"));
}

#[test]
fn the_keccak_guest_is_proven_through_the_precompile() {
    // 300 bytes: three permutations (rate 136) for the data, plus the output digest's.
    let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
    let mut stdin = Stdin::new();
    stdin.write_slice(&data).unwrap();
    let (_, proof, _, output) = prove_and_verify("keccak", &stdin);
    assert!(proof.chips.iter().any(|c| c == "keccak_permute"));
    assert_eq!(output, geode_executor::keccak256(&data));
}

#[test]
fn the_ecdsa_guest_is_proven_through_the_precompiles() {
    // The built-in vectors: three valid signatures, then two that k256 rejects.
    let (_, proof, code, output) = prove_and_verify("ecdsa", &Stdin::new());
    assert_eq!(code, 0);
    for chip in ["secp256k1_point", "uint256_mulmod", "word_io"] {
        assert!(proof.chips.iter().any(|c| c == chip), "{chip} in the proof");
    }
    let results: Vec<bool> = geode_executor::PublicValuesReader::new(&output)
        .read()
        .unwrap();
    assert_eq!(results, [true, true, true, false, false]);
}

#[test]
fn the_ecrecover_guest_is_proven_through_the_precompiles() {
    let (_, proof, code, output) = prove_and_verify("ecrecover", &Stdin::new());
    assert_eq!(code, 0);
    assert!(proof.chips.iter().any(|c| c == "secp256k1_point"));
    let addresses: Vec<Option<[u8; 20]>> = geode_executor::PublicValuesReader::new(&output)
        .read()
        .unwrap();
    assert!(addresses.iter().any(Option::is_some), "{addresses:?}");
}

#[test]
fn proof_bytes_flipped_anywhere_are_rejected() {
    let (machine, proof, code, output) = prove_and_verify("hello", &Stdin::new());
    let bytes = proof.to_bytes().unwrap();
    // A spread of positions through the whole proof (every byte would take too long in a
    // debug test; geode-stark's toy test flips every header byte).
    for pos in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
        let mut bad = bytes.clone();
        bad[pos] ^= 0x10;
        let accepted =
            StarkProof::from_bytes(&bad).is_ok_and(|p| machine.verify(&p, code, &output).is_ok());
        assert!(!accepted, "flip at byte {pos} was accepted");
    }
}
