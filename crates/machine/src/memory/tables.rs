//! The rows of the memory-init and memory-final chips, from a program and its execution record.

use std::collections::BTreeMap;

use geode_executor::{ExecutionRecord, Program};

/// Registers live at addresses `0..NUM_REGISTERS`.
const NUM_REGISTERS: u32 = 32;

/// Splits the memory a run initialized between the chips that initialize it, and lists the
/// final state of each address.
///
/// Returns `(init, final)`: `init` is the addresses memory-init starts at 0 (the 32 registers,
/// then every touched RAM word outside [`Program::image`], ascending); `final` is one
/// `(addr, value, ts)` per address that init or the image initialized, ascending: the record's
/// `registers_final` and `memory_final` for what the run touched, and `(addr, word, 0)` for
/// image words it never touched. A touched image word is initialized by the image chip, never by
/// memory-init, or its address would be initialized twice.
///
/// # Panics
/// If the record contradicts the program: a touched word's initial value is not its image word
/// (0 outside the image), a final state names an address that was never initialized, or a
/// register number is out of range. These are executor bugs, not guest behaviour.
pub fn memory_tables(
    program: &Program,
    record: &ExecutionRecord,
) -> (Vec<u32>, Vec<(u32, u32, u32)>) {
    let image = program.image();
    let mut init: Vec<u32> = (0..NUM_REGISTERS).collect();
    for word in &record.memory_init {
        let expected = image.get(&word.addr).copied().unwrap_or(0);
        assert_eq!(
            word.value, expected,
            "touched word {:#x} starts at {:#x}, but the image holds {expected:#x}",
            word.addr, word.value
        );
        // An image word's address is in the map only if the word is non-zero; a zero word is
        // initialized to the same 0 by memory-init.
        if !image.contains_key(&word.addr) {
            assert!(
                word.addr >= NUM_REGISTERS,
                "RAM word at register address {}",
                word.addr
            );
            init.push(word.addr);
        }
    }
    init.sort_unstable();
    init.dedup();

    let mut last: BTreeMap<u32, (u32, u32)> = image.iter().map(|(&a, &w)| (a, (w, 0))).collect();
    last.extend((0..NUM_REGISTERS).map(|r| (r, (0, 0))));
    for f in record.registers_final.iter().chain(&record.memory_final) {
        assert!(
            last.contains_key(&f.addr) || init.binary_search(&f.addr).is_ok(),
            "final state of {:#x}, which was never initialized",
            f.addr
        );
        last.insert(f.addr, (f.value, f.ts));
    }
    let rows = last
        .into_iter()
        .map(|(addr, (value, ts))| (addr, value, ts))
        .collect();
    (init, rows)
}
