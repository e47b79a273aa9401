//! The rows of the memory-init and memory-final chips, from a program and its execution record.

use std::collections::BTreeMap;

use geode_executor::{ExecutionRecord, Program};

/// Registers live at addresses `0..NUM_REGISTERS`.
const NUM_REGISTERS: u32 = 32;

/// One address's last state: `(addr, value, ts)`.
pub(crate) type FinalRow = (u32, u32, u32);

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
/// # Errors
/// If the record contradicts the program: a touched word's initial value is not its image word
/// (0 outside the image), a final state names an address that was never initialized, or a RAM
/// word sits at a register address. These are executor bugs or a forged record, never guest
/// behaviour.
pub fn memory_tables(
    program: &Program,
    record: &ExecutionRecord,
) -> Result<(Vec<u32>, Vec<FinalRow>), String> {
    let image = program.image();
    let mut init: Vec<u32> = (0..NUM_REGISTERS).collect();
    for word in &record.memory_init {
        let expected = image.get(&word.addr).copied().unwrap_or(0);
        if word.value != expected {
            return Err(format!(
                "touched word {:#x} starts at {:#x}, but the image holds {expected:#x}",
                word.addr, word.value
            ));
        }
        // An image word's address is in the map only if the word is non-zero; a zero word is
        // initialized to the same 0 by memory-init.
        if !image.contains_key(&word.addr) {
            if word.addr < NUM_REGISTERS {
                return Err(format!("RAM word at register address {}", word.addr));
            }
            init.push(word.addr);
        }
    }
    init.sort_unstable();
    init.dedup();

    let mut last: BTreeMap<u32, (u32, u32)> = image.iter().map(|(&a, &w)| (a, (w, 0))).collect();
    last.extend((0..NUM_REGISTERS).map(|r| (r, (0, 0))));
    for f in record.registers_final.iter().chain(&record.memory_final) {
        if !(last.contains_key(&f.addr) || init.binary_search(&f.addr).is_ok()) {
            return Err(format!(
                "final state of {:#x}, which was never initialized",
                f.addr
            ));
        }
        last.insert(f.addr, (f.value, f.ts));
    }
    let rows = last
        .into_iter()
        .map(|(addr, (value, ts))| (addr, value, ts))
        .collect();
    Ok((init, rows))
}
