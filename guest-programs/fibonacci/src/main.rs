//! Computes fib(n) mod 2^32 iteratively; a cheap, input-dependent workload.
//!
//! Input: optionally one frame holding `n: u32` (postcard); without input, `n = DEFAULT_N`.
//! Output: `n`, then fib(n) mod 2^32, both postcard `u32`s.
#![no_std]
#![no_main]

use geode_guest::io;

/// Used when the host passes no input: a run of a few thousand cycles.
const DEFAULT_N: u32 = 1000;

geode_guest::entrypoint!(main);

fn main() {
    let n: u32 = io::read_or(DEFAULT_N);
    let fib = fibonacci(n);
    geode_guest::println!("fib({n}) = {fib}");
    io::commit(&n);
    io::commit(&fib);
}

/// fib(0) = 0, fib(1) = 1, wrapping at 2^32.
fn fibonacci(n: u32) -> u32 {
    let (mut a, mut b) = (0_u32, 1_u32);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    a
}
