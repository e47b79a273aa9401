//! keccak256 of the input through the `KECCAK_PERMUTE` precompile.
//!
//! Input: optionally one frame of raw bytes (not postcard); without input, the empty string.
//! Output: the 32-byte digest, committed raw (no length prefix).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;

use geode_guest::{io, keccak};

geode_guest::entrypoint!(main);

fn main() {
    let data = if io::input_len() > 0 {
        io::read_vec()
    } else {
        Vec::new()
    };
    let digest = keccak::keccak256(&data);
    io::commit_slice(&digest);
    geode_guest::println!("keccak256({} bytes) = 0x{}", data.len(), Hex(&digest));
}

/// Lower-case hex, formatted straight into the print buffer.
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}
