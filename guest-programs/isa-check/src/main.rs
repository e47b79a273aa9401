//! Runs every RV32IM instruction on edge-case operands and commits the results, for the host to
//! compare with the RISC-V spec. The checks and the committed layout are in `cases.rs`; the
//! expected values, computed with host arithmetic, in `expected.rs` (host only: compiled into
//! the guest, they would be the compiler's arithmetic, not the VM's).
//!
//! Output: one postcard `Vec<u32>` of `cases::RESULT_COUNT` words.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;

mod cases;
mod rv32im;

geode_guest::entrypoint!(main);

fn main() {
    let mut results = Vec::with_capacity(cases::RESULT_COUNT);
    cases::run(&mut rv32im::Machine, &mut |_, word| results.push(word));
    assert_eq!(results.len(), cases::RESULT_COUNT);
    geode_guest::println!("isa-check: {} results", results.len());
    geode_guest::io::commit(&results);
}
