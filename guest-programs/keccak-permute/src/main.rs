//! Applies keccak-f[1600] `n` times to one state through `KECCAK_PERMUTE`, with nothing else
//! per call: what the precompile alone costs to prove.
//!
//! Input: optionally one frame holding `n: u32` (postcard); without input, `n = DEFAULT_N`.
//! Output: `n` (postcard `u32`), then the first lane of the final state (postcard `u64`).
#![no_std]
#![no_main]

use geode_guest::{io, keccak};

/// Used when the host passes no input.
const DEFAULT_N: u32 = 100;

geode_guest::entrypoint!(main);

fn main() {
    let n: u32 = io::read_or(DEFAULT_N);
    let mut state = [0u64; 25];
    for _ in 0..n {
        keccak::permute(&mut state);
    }
    io::commit(&n);
    io::commit(&state[0]);
}
