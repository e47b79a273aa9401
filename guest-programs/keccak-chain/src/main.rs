//! Hashes a 32-byte value `n` times with keccak256 on the `KECCAK_PERMUTE` precompile: one
//! permutation per hash, the workload of Merkle paths and hash chains.
//!
//! Input: optionally one frame holding `n: u32` (postcard); without input, `n = DEFAULT_N`.
//! Output: `n` (postcard `u32`), then the final 32-byte value, raw.
#![no_std]
#![no_main]

use geode_guest::{io, keccak};

/// Used when the host passes no input.
const DEFAULT_N: u32 = 100;

geode_guest::entrypoint!(main);

fn main() {
    let n: u32 = io::read_or(DEFAULT_N);
    let mut value = [0u8; 32];
    for _ in 0..n {
        value = keccak::keccak256(&value);
    }
    io::commit(&n);
    io::commit_slice(&value);
}
