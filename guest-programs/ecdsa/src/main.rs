//! Verifies secp256k1 ECDSA signatures with `geode_guest::secp256k1` on the curve and mulmod
//! precompiles (semantics of k256's `verify_prehash`: low s only).
//!
//! Input: optionally one frame holding a postcard `Vec<(Vec<u8>, [u8; 32], [u8; 32], [u8; 32])>`
//! of (SEC1 public key, prehash, r, s), big-endian; without input, the vectors of `vectors.rs`.
//! Output: one postcard `Vec<bool>`, whether each signature verifies.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;

use geode_guest::io;
use geode_guest::secp256k1::ecdsa;

mod vectors;

/// (SEC1 public key, prehash, r, s).
type Input = Vec<(Vec<u8>, [u8; 32], [u8; 32], [u8; 32])>;

geode_guest::entrypoint!(main);

fn main() {
    let results: Vec<bool> = if io::input_len() > 0 {
        let input: Input = io::read();
        input
            .iter()
            .map(|(pubkey, prehash, r, s)| ecdsa::verify(pubkey, prehash, &signature(r, s)))
            .collect()
    } else {
        vectors::VECTORS
            .iter()
            .map(|v| ecdsa::verify(v.pubkey, &v.prehash, &v.signature))
            .collect()
    };
    io::commit(&results);
}

/// `r ‖ s`.
fn signature(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut signature = [0; 64];
    signature[..32].copy_from_slice(r);
    signature[32..].copy_from_slice(s);
    signature
}
