//! A compute-heavy benchmark guest: runs the shared kernel for `n` iterations (input, default
//! 1000) and commits `n` and the checksum.
#![no_std]
#![no_main]

mod kernel;

use geode_guest::io;

geode_guest::entrypoint!(main);

const DEFAULT_ITERATIONS: u32 = 1000;

static mut TABLE: [u32; kernel::WORDS] = [0; kernel::WORDS];

fn main() {
    let n: u32 = io::read_or(DEFAULT_ITERATIONS);
    // SAFETY: the guest is single-threaded and this is the only reference to TABLE.
    let table = unsafe { &mut *core::ptr::addr_of_mut!(TABLE) };
    let checksum = kernel::run(n, table);
    io::commit(&n);
    io::commit(&checksum);
}
