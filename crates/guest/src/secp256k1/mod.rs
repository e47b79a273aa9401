//! secp256k1 on the `SECP256K1_ADD`, `SECP256K1_DOUBLE` and `UINT256_MULMOD` precompiles:
//! ECDSA verification ([`ecdsa::verify`]), Ethereum's `ecrecover` ([`ecrecover`]) and addresses
//! ([`eth_address`]).
//!
//! Curve additions and doublings are one syscall each, as is every product mod p or mod n; the
//! guest code around them handles the identity and equal or opposite points, range checks,
//! encodings, and exponentiations (inversion mod n, square roots mod p). A verification costs
//! about 450 curve syscalls and 330 products for the inversion, and a few thousand
//! instructions of glue (see `docs/guest.md` for measured cycles).
//!
//! Integers are [`U256`](crate::uint256::U256)s (eight little-endian words); byte encodings
//! (keys, signatures, hashes) are big-endian, as everywhere else.

pub mod ecdsa;
pub mod field;
pub mod point;
pub mod scalar;

pub use point::{AffinePoint, GENERATOR};

use crate::keccak;
use crate::uint256;

/// Ethereum's `ecrecover` (precompile 0x01) on a 32-byte message hash: the public key that
/// produced `signature` (`r ‖ s`, big-endian) over `prehash`, as `x ‖ y` (64 bytes, big-endian;
/// hash it with [`eth_address`]), or `None` where the precompile returns nothing:
///
/// - `recovery_id` must be 0 or 1 (Ethereum's `v − 27`): the parity of the y of the point R
///   whose x is r. (The ids 2 and 3 of r + n ≥ p are not part of Ethereum's precompile.)
/// - r and s must be in `[1, n − 1]`. **High s is accepted**, as by the precompile: EIP-2's
///   low-s rule applies to transaction signatures, not to `ecrecover`; check it with
///   [`is_low_s`] where it matters.
/// - `None` if r is not the x of a curve point, or the recovered key is the identity.
///
/// The key is Q = r⁻¹·(s·R − z·G) with z = `prehash` mod n, computed as one Shamir ladder.
/// For a low s the result is what k256's `VerifyingKey::recover_from_prehash` returns; for a
/// high s that function fails (k256 checks its answer with its low-s-only verifier), while
/// `ecrecover` returns the key that the signature `(r, n − s)` with the other recovery id gives.
pub fn ecrecover(prehash: &[u8; 32], signature: &[u8; 64], recovery_id: u8) -> Option<[u8; 64]> {
    if recovery_id > 1 {
        return None;
    }
    let (r, s) = ecdsa::parse_signature(signature)?;
    // r < n < p, so r is a canonical x.
    let big_r = AffinePoint::decompress(&r, recovery_id == 1)?;
    let z = scalar::reduce(&uint256::from_be_bytes(prehash));
    let r_inv = scalar::invert(&r);
    let u1 = scalar::neg(&scalar::mul(&z, &r_inv));
    let u2 = scalar::mul(&s, &r_inv);
    let key = AffinePoint::lincomb(&u1, &GENERATOR, &u2, &big_r)?;
    Some(key.to_xy_bytes())
}

/// The Ethereum address of an uncompressed public key `x ‖ y` (64 bytes, big-endian, no `04`
/// tag): the last 20 bytes of its keccak256.
pub fn eth_address(pubkey: &[u8; 64]) -> [u8; 20] {
    let digest = keccak::keccak256(pubkey);
    let mut address = [0; 20];
    address.copy_from_slice(&digest[12..]);
    address
}

/// Whether the `s` of `signature` (`r ‖ s`, big-endian) is at most ⌊n/2⌋: the "low s" form
/// that k256's [`ecdsa::verify`] requires and that EIP-2 (Homestead) requires of Ethereum
/// transaction signatures. Says nothing about the range of r or s otherwise: [`ecdsa::verify`]
/// and [`ecrecover`] check those. A high-s signature `(r, s)` is valid iff `(r, n − s)` is,
/// with the opposite recovery id.
pub fn is_low_s(signature: &[u8; 64]) -> bool {
    let s = signature.last_chunk::<32>().expect("64 bytes hold 32");
    !scalar::is_high(&uint256::from_be_bytes(s))
}
