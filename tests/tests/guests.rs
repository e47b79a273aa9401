//! Every guest program runs end to end with checked outputs, in both executor modes.

use geode_executor::{ExecOptions, ExecutionOutput, Stdin, execute, execute_recorded, keccak256};
use geode_tests::program;
use proptest::prelude::*;

/// Runs `name` in fast and recording modes; both must agree, halt with 0 and a true digest.
fn run(name: &str, input: &Stdin) -> ExecutionOutput {
    let program = program(name);
    let fast =
        execute(&program, input, &ExecOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (recorded, record) = execute_recorded(&program, input, &ExecOptions::default()).unwrap();
    assert_eq!(fast, recorded, "{name}: modes disagree");
    assert_eq!(record.cpu.len() as u64, fast.cycles);
    assert_eq!(
        fast.exit_code,
        0,
        "{name} stderr: {}",
        String::from_utf8_lossy(&fast.stderr)
    );
    assert!(
        fast.digest_matches(),
        "{name}: HALT digest is not keccak256 of the output"
    );
    fast
}

fn fib(n: u32) -> u32 {
    (0..n)
        .fold((0u32, 1u32), |(a, b), _| (b, a.wrapping_add(b)))
        .0
}

#[test]
fn fibonacci_default_and_given_n() {
    let out = run("fibonacci", &Stdin::new());
    let mut values = out.public_values();
    let (n, f): (u32, u32) = (values.read().unwrap(), values.read().unwrap());
    assert_eq!((n, f), (1000, fib(1000)));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("fib(1000) = {}\n", fib(1000))
    );

    for n in [0, 1, 2, 10, 47, 48, 5000] {
        let mut input = Stdin::new();
        input.write(&n).unwrap();
        let out = run("fibonacci", &input);
        let mut values = out.public_values();
        assert_eq!(values.read::<u32>().unwrap(), n);
        assert_eq!(values.read::<u32>().unwrap(), fib(n), "fib({n})");
        assert!(values.remaining().is_empty());
    }
}

#[test]
fn hello_prints_and_commits() {
    let out = run("hello", &Stdin::new());
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        "Hello from Geode!\n"
    );
    assert_eq!(
        out.public_values().read::<String>().unwrap(),
        "hello, world"
    );
}

fn keccak_guest(data: &[u8]) -> [u8; 32] {
    let mut input = Stdin::new();
    input.write_slice(data).unwrap();
    let out = run("keccak", &input);
    out.public_output
        .as_slice()
        .try_into()
        .expect("32-byte digest")
}

#[test]
fn keccak_matches_tiny_keccak_at_block_boundaries() {
    // Every length around the first two rate boundaries, and large inputs.
    let lengths = (0..=8)
        .chain(126..=146)
        .chain(262..=282)
        .chain([1000, 4096, 100_000]);
    for len in lengths {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        assert_eq!(keccak_guest(&data), keccak256(&data), "length {len}");
    }
    // No input at all hashes the empty string.
    let out = run("keccak", &Stdin::new());
    assert_eq!(out.public_output, keccak256(b""));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn keccak_matches_tiny_keccak(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(keccak_guest(&data), keccak256(&data));
    }
}

#[test]
fn keccak_chains_agree_with_and_without_the_precompile() {
    let mut input = Stdin::new();
    input.write(&37u32).unwrap();
    let mut expected = [0u8; 32];
    for _ in 0..37 {
        expected = keccak256(&expected);
    }
    for guest in ["keccak-chain", "keccak-chain-sw"] {
        let out = run(guest, &input);
        let mut values = out.public_values();
        assert_eq!(values.read::<u32>().unwrap(), 37, "{guest}");
        assert_eq!(values.remaining(), expected, "{guest}");
    }
}

#[test]
fn compute_kernel_matches_native() {
    #[path = "../../guest-programs/compute/src/kernel.rs"]
    mod kernel;
    let mut input = Stdin::new();
    input.write(&5000u32).unwrap();
    let out = run("compute", &input);
    let mut values = out.public_values();
    assert_eq!(values.read::<u32>().unwrap(), 5000);
    let mut table = [0u32; kernel::WORDS];
    assert_eq!(values.read::<u32>().unwrap(), kernel::run(5000, &mut table));
}

#[test]
fn malformed_input_panics_the_guest_not_the_host() {
    // fibonacci reads a u32 frame; an empty frame does not decode. The guest panics: exit code
    // 101 with the panic message on stderr, and the host reports it as a result.
    let mut input = Stdin::new();
    input.write_slice(&[]).unwrap();
    let out = execute(&program("fibonacci"), &input, &ExecOptions::default()).unwrap();
    assert_eq!(out.exit_code, 101);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{out:?}"
    );
    assert!(out.digest_matches());
}
