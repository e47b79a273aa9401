//! Proof malleability: a few hundred mutated verification attempts against honest proofs of
//! `hello` and of `fibonacci` on two inputs, spread over every kind of mutation
//! (`geode_tests::malleability`). Every one must be rejected with an error, none may panic.
//! `cargo xtask malleability` runs the same campaign at scale in release.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use geode_executor::Stdin;
use geode_stark::StarkProof;
use geode_tests::guests;
use geode_tests::malleability::{self, Kind, Stage, Subject};

/// Attempts in the test profile: 20 of each kind.
const ATTEMPTS: usize = 20 * Kind::ALL.len();

fn elf(name: &str) -> Vec<u8> {
    let guest = guests().iter().find(|g| g.name == name).expect(name);
    std::fs::read(&guest.path).expect("guest ELF")
}

fn fibonacci_input(n: u32) -> Stdin {
    let mut stdin = Stdin::new();
    stdin.write(&n).expect("input");
    stdin
}

/// Honest proofs of `hello` and of `fibonacci` on two inputs, made once per test binary, and
/// the time that took.
fn subjects() -> &'static ([Subject; 3], Duration) {
    static SUBJECTS: OnceLock<([Subject; 3], Duration)> = OnceLock::new();
    SUBJECTS.get_or_init(|| {
        let start = Instant::now();
        let fibonacci = elf("fibonacci");
        let subjects = [
            Subject::prove("hello", &elf("hello"), &Stdin::new(), 4, 1).expect("hello"),
            Subject::prove("fibonacci(5)", &fibonacci, &fibonacci_input(5), 4, 2).expect("fib 5"),
            Subject::prove("fibonacci(6)", &fibonacci, &fibonacci_input(6), 4, 3).expect("fib 6"),
        ];
        (subjects, start.elapsed())
    })
}

#[test]
fn every_mutated_proof_is_rejected_without_panic() {
    let (subjects, proved) = subjects();
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let report = malleability::run(subjects, ATTEMPTS, 0x6e0d_e5ee, threads);
    for (kind, stats) in &report.kinds {
        println!("{kind:<32} {:>4} {:?}", stats.attempts, stats.stages);
    }
    println!(
        "{} attempts, {} rejected, {} rejected after a caught verifier panic; proving {:.1?}, \
         attempts {:.1?}",
        report.attempts(),
        report.rejected(),
        report.count(Stage::VerifierPanic),
        proved,
        report.elapsed
    );
    assert_eq!(report.attempts(), ATTEMPTS);
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
    assert_eq!(report.rejected(), ATTEMPTS);
}

#[test]
fn overlong_integer_encodings_are_rejected() {
    // Regression: postcard reads integers as LEB128 and accepts redundant groups (`0x82 0x00`
    // is 2), so one proof had many encodings that all verified. Only `to_bytes`'s decodes.
    let bytes = subjects().0[0].proof_bytes();
    assert!(StarkProof::from_bytes(bytes).is_ok());
    let version = u8::try_from(geode_stark::PROOF_VERSION).expect("a one-byte version");
    assert_eq!(bytes[0], version, "the version comes first");
    let mut overlong = vec![version | 0x80, 0x00];
    overlong.extend_from_slice(&bytes[1..]);
    assert!(
        StarkProof::from_bytes(&overlong).is_err(),
        "an overlong version"
    );
    // The chip count, second.
    assert!(bytes[1] < 0x80, "one byte of chip count");
    let mut overlong = bytes[..1].to_vec();
    overlong.extend_from_slice(&[bytes[1] | 0x80, 0x00]);
    overlong.extend_from_slice(&bytes[2..]);
    assert!(
        StarkProof::from_bytes(&overlong).is_err(),
        "an overlong length"
    );
}
