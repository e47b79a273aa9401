//! `StarkProof::from_bytes` on arbitrary bytes, then verification against a fixed program's
//! verifying key (`proof_target_elf`: HALT 0 with an empty output) and its honest claim. Never a
//! panic; and a proof accepted must be canonically encoded (its bytes are what the prover
//! writes for it), so no second byte string verifies for the same proof.
#![no_main]

use std::sync::LazyLock;

use geode_executor::Program;
use geode_executor::testing::fuzz::proof_target_elf;
use geode_machine::RiscvMachine;
use geode_stark::StarkProof;
use libfuzzer_sys::fuzz_target;

static MACHINE: LazyLock<RiscvMachine> = LazyLock::new(|| {
    RiscvMachine::new(Program::from_elf(&proof_target_elf()).expect("the fixed program loads"))
});

fuzz_target!(|bytes: &[u8]| {
    let Ok(proof) = StarkProof::from_bytes(bytes) else {
        return;
    };
    if MACHINE.verify(&proof, 0, &[]).is_ok() {
        let canonical = proof.to_bytes().expect("an accepted proof serializes");
        assert!(canonical == bytes, "accepted a non-canonical encoding");
    }
});
