//! Ethereum's `ecrecover`: the sender address of each signature, with
//! `geode_guest::secp256k1::ecrecover` on the curve and mulmod precompiles (high s accepted, as
//! by the precompile).
//!
//! Input: optionally one frame holding a postcard `Vec<([u8; 32], [u8; 32], [u8; 32], u8)>` of
//! (message hash, r, s, recovery id 0 or 1), big-endian; without input, the vectors of
//! `vectors.rs`.
//! Output: one postcard `Vec<Option<[u8; 20]>>`, the address of each recovered key or `None`.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;

use geode_guest::io;
use geode_guest::secp256k1;

mod vectors;

/// (message hash, r, s, recovery id).
type Input = Vec<([u8; 32], [u8; 32], [u8; 32], u8)>;

geode_guest::entrypoint!(main);

fn main() {
    let addresses: Vec<Option<[u8; 20]>> = if io::input_len() > 0 {
        let input: Input = io::read();
        input
            .iter()
            .map(|(prehash, r, s, recovery_id)| address(prehash, &signature(r, s), *recovery_id))
            .collect()
    } else {
        vectors::VECTORS
            .iter()
            .map(|v| address(&v.prehash, &v.signature, v.recovery_id))
            .collect()
    };
    io::commit(&addresses);
}

/// The address of the key that `ecrecover` recovers, if any.
fn address(prehash: &[u8; 32], signature: &[u8; 64], recovery_id: u8) -> Option<[u8; 20]> {
    secp256k1::ecrecover(prehash, signature, recovery_id).map(|key| secp256k1::eth_address(&key))
}

/// `r ‖ s`.
fn signature(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut signature = [0; 64];
    signature[..32].copy_from_slice(r);
    signature[32..].copy_from_slice(s);
    signature
}
