//! `ecdsa` with k256 compiled to RISC-V instead of the precompiles: the baseline that shows what
//! they save. Same input and output as `ecdsa`.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec::Vec;

use geode_guest::io;
use k256::ecdsa::signature::hazmat::PrehashVerifier;
use k256::ecdsa::{Signature, VerifyingKey};

#[path = "../../ecdsa/src/vectors.rs"]
mod vectors;

/// (SEC1 public key, prehash, r, s).
type Input = Vec<(Vec<u8>, [u8; 32], [u8; 32], [u8; 32])>;

geode_guest::entrypoint!(main);

fn main() {
    let results: Vec<bool> = if io::input_len() > 0 {
        let input: Input = io::read();
        input
            .iter()
            .map(|(pubkey, prehash, r, s)| verify(pubkey, prehash, &signature(r, s)))
            .collect()
    } else {
        vectors::VECTORS
            .iter()
            .map(|v| verify(v.pubkey, &v.prehash, &v.signature))
            .collect()
    };
    io::commit(&results);
}

/// k256's `verify_prehash`, with every parsing failure a `false`.
fn verify(pubkey: &[u8], prehash: &[u8; 32], signature: &[u8; 64]) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(pubkey) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    key.verify_prehash(prehash, &signature).is_ok()
}

/// `r ‖ s`.
fn signature(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut signature = [0; 64];
    signature[..32].copy_from_slice(r);
    signature[32..].copy_from_slice(s);
    signature
}
