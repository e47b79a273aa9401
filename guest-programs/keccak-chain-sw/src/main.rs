//! `keccak-chain` with keccak256 in software (tiny-keccak compiled to RISC-V): the baseline
//! that shows what the precompile saves. Same input and output as `keccak-chain`.
#![no_std]
#![no_main]

use geode_guest::io;
use tiny_keccak::{Hasher, Keccak};

/// Used when the host passes no input.
const DEFAULT_N: u32 = 100;

geode_guest::entrypoint!(main);

fn main() {
    let n: u32 = io::read_or(DEFAULT_N);
    let mut value = [0u8; 32];
    for _ in 0..n {
        let mut hasher = Keccak::v256();
        hasher.update(&value);
        hasher.finalize(&mut value);
    }
    io::commit(&n);
    io::commit_slice(&value);
}
