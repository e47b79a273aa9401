//! The SDK end to end: execute, prove, verify and read back on real guests, and the proof
//! envelope's format and its rejections. One binary, so the guests are built and the shared
//! STARK proof is made once.

mod envelope;
mod round_trip;

use std::sync::OnceLock;

use geode_sdk::{GeodeProof, ProverClient, ProvingKey, Stdin, VerifyingKey};

/// The ELF of guest `name`, built if needed.
fn elf(name: &str) -> Vec<u8> {
    let guest = geode_build::build_guest(name).unwrap_or_else(|e| panic!("{e}"));
    std::fs::read(&guest.path).unwrap()
}

/// The fibonacci guest's input: fib(10) keeps the proof quick.
fn fibonacci_stdin() -> Stdin {
    let mut stdin = Stdin::new();
    stdin.write(&10u32).unwrap();
    stdin
}

/// Fibonacci's keys and one STARK proof of fib(10), made once for the whole binary.
fn fibonacci() -> &'static (ProvingKey, VerifyingKey, GeodeProof) {
    static PROOF: OnceLock<(ProvingKey, VerifyingKey, GeodeProof)> = OnceLock::new();
    PROOF.get_or_init(|| {
        let client = ProverClient::new();
        let (pk, vk) = client.setup(&elf("fibonacci")).unwrap();
        let proof = client.prove(&pk, &fibonacci_stdin()).run().unwrap();
        (pk, vk, proof)
    })
}
