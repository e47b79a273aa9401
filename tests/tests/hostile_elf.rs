//! Hostile ELF files: random corruptions of a real guest ELF, and random bytes, are rejected
//! with a typed error or, if they still load, run to a result or a typed fault — never a panic.

use geode_executor::{ExecOptions, Program, Stdin, execute};
use geode_tests::guests;
use proptest::prelude::*;

fn fibonacci_elf() -> Vec<u8> {
    let guest = guests()
        .iter()
        .find(|g| g.name == "fibonacci")
        .expect("fibonacci guest");
    std::fs::read(&guest.path).expect("ELF")
}

/// Loads and, if that works, runs briefly. Any panic fails the property.
fn load_and_run(bytes: &[u8]) {
    if let Ok(program) = Program::from_elf(bytes) {
        let _ = execute(
            &program,
            &Stdin::new(),
            &ExecOptions::with_max_cycles(20_000),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn corrupted_headers_never_panic(flips in proptest::collection::vec((0usize..256, any::<u8>()), 1..8)) {
        // The ELF and program headers live in the first 256 bytes... or the section headers at
        // the end; flip bytes in the headers, where the parser is most exposed.
        let mut bytes = fibonacci_elf();
        for (pos, value) in flips {
            let pos = pos % bytes.len();
            bytes[pos] = value;
        }
        load_and_run(&bytes);
    }

    #[test]
    fn corrupted_anywhere_never_panics(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..16), cut in any::<usize>()) {
        let mut bytes = fibonacci_elf();
        for (pos, value) in flips {
            let pos = pos % bytes.len();
            bytes[pos] = value;
        }
        load_and_run(&bytes);
        bytes.truncate(cut % bytes.len());
        load_and_run(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load_and_run(&bytes);
        // With a valid magic and class the parser goes further.
        if bytes.len() >= 20 {
            bytes[..7].copy_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1]);
            bytes[18] = 0xf3;
            load_and_run(&bytes);
        }
    }
}
