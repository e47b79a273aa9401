//! ECDSA signature verification over secp256k1, with the semantics of k256 0.13's
//! `VerifyingKey::verify_prehash` (see [`verify`]).

use super::point::{AffinePoint, GENERATOR};
use super::scalar;
use crate::uint256::{self, U256};

/// Whether `signature` is a valid ECDSA signature of `prehash` under `pubkey`, exactly as
/// `k256::ecdsa::VerifyingKey::from_sec1_bytes(pubkey)` followed by `verify_prehash(prehash,
/// &Signature::from_slice(signature))` (k256 0.13) decides it:
///
/// - `pubkey` is SEC1: `04 ‖ x ‖ y`, `02 ‖ x`, `03 ‖ x` or `05 ‖ x` (see
///   [`AffinePoint::from_sec1`]); coordinates must be below p and on the curve. A compressed key
///   costs a square root mod p (about 270 extra `UINT256_MULMOD` calls).
/// - `signature` is `r ‖ s`, each 32 bytes big-endian, both in `[1, n − 1]`.
/// - **High s is rejected**: s must be at most ⌊n/2⌋ (k256 verifies only the low-s form, the
///   one its signer produces; see [`super::is_low_s`]).
/// - `prehash` is read as a big-endian integer and reduced mod n (`bits2field` of a 32-byte
///   prehash is the prehash itself); it is not hashed again.
/// - With w = s⁻¹, u1 = z·w and u2 = r·w mod n, accept iff R = u1·G + u2·Q is not the identity
///   and R.x mod n = r.
pub fn verify(pubkey: &[u8], prehash: &[u8; 32], signature: &[u8; 64]) -> bool {
    match AffinePoint::from_sec1(pubkey) {
        Some(key) => verify_point(&key, prehash, signature),
        None => false,
    }
}

/// [`verify`] with an already parsed public key (saves the parsing and, for a compressed key,
/// the square root when one key checks many signatures).
pub fn verify_point(pubkey: &AffinePoint, prehash: &[u8; 32], signature: &[u8; 64]) -> bool {
    let Some((r, s)) = parse_signature(signature) else {
        return false;
    };
    if scalar::is_high(&s) {
        return false;
    }
    let z = scalar::reduce(&uint256::from_be_bytes(prehash));
    let w = scalar::invert(&s);
    let u1 = scalar::mul(&z, &w);
    let u2 = scalar::mul(&r, &w);
    match AffinePoint::lincomb(&u1, &GENERATOR, &u2, pubkey) {
        // R.x < p < 2n: one conditional subtraction reduces it mod n.
        Some(point) => uint256::eq(&scalar::reduce(point.x()), &r),
        None => false,
    }
}

/// `(r, s)` from `r ‖ s` (32 bytes each, big-endian), or `None` unless both are in `[1, n − 1]`.
pub(super) fn parse_signature(signature: &[u8; 64]) -> Option<(U256, U256)> {
    let (r, s) = signature.split_first_chunk::<32>()?;
    let s = s.first_chunk::<32>()?;
    let (r, s) = (uint256::from_be_bytes(r), uint256::from_be_bytes(s));
    (scalar::is_nonzero_scalar(&r) && scalar::is_nonzero_scalar(&s)).then_some((r, s))
}
