//! Syscall ids. A guest executes `ecall` with the id in `t0`, arguments in `a0..a3`; the result,
//! if any, comes back in `a0`.

/// Ends the run. `a0` = exit code, `a1` = pointer to the 32-byte output digest, which becomes a
/// public value.
pub const HALT: u32 = 0x00;
/// Host-side output, not proven. `a0` = fd (1 stdout, 2 stderr), `a1` = pointer, `a2` = length.
pub const WRITE: u32 = 0x01;
/// `a0` := number of bytes left in the input stream.
pub const HINT_LEN: u32 = 0x02;
/// Copies the next `a1` input bytes to guest memory at `a0` (word aligned).
pub const HINT_READ: u32 = 0x03;
/// Appends `a1` bytes at `a0` to the public output.
pub const COMMIT: u32 = 0x04;
/// keccak-f\[1600\] in place on 25 little-endian u64 lanes at `a0` (word aligned).
pub const KECCAK_PERMUTE: u32 = 0x100;

/// secp256k1 affine point addition in place: the point at `a0` becomes itself plus the point at
/// `a1`. A point is [`SECP256K1_POINT_BYTES`] bytes, `x` then `y`, each a 256-bit little-endian
/// integer (eight little-endian words); coordinates are taken mod p and the result is canonical
/// (below p). Requires the two x coordinates to differ mod p (the points are not equal or
/// opposite), both pointers word aligned and the two regions disjoint.
pub const SECP256K1_ADD: u32 = 0x101;
/// secp256k1 affine point doubling in place on the point at `a0` (layout as for
/// [`SECP256K1_ADD`]). Requires `y ≢ 0 (mod p)` and `a0` word aligned.
pub const SECP256K1_DOUBLE: u32 = 0x102;
/// 256-bit modular multiplication in place: `x := x·y mod m`, with `x` at `a0` and `y` then `m`
/// at `a1` (each [`UINT256_BYTES`] bytes, little-endian). Requires `m ≠ 0` and `x·y < m·2^256`
/// (true whenever `x < m` or `y < m`), both pointers word aligned and the regions disjoint. The
/// result is below `m`.
pub const UINT256_MULMOD: u32 = 0x103;

/// Number of bytes of a secp256k1 point in guest memory (`x` then `y`).
pub const SECP256K1_POINT_BYTES: u32 = 64;
/// Number of bytes of a 256-bit integer in guest memory.
pub const UINT256_BYTES: u32 = 32;

/// Number of bytes the `KECCAK_PERMUTE` state occupies in guest memory.
pub const KECCAK_STATE_BYTES: u32 = 25 * 8;

/// A human name for a syscall id, for error messages and profiles.
pub const fn name(id: u32) -> Option<&'static str> {
    match id {
        HALT => Some("HALT"),
        WRITE => Some("WRITE"),
        HINT_LEN => Some("HINT_LEN"),
        HINT_READ => Some("HINT_READ"),
        COMMIT => Some("COMMIT"),
        KECCAK_PERMUTE => Some("KECCAK_PERMUTE"),
        SECP256K1_ADD => Some("SECP256K1_ADD"),
        SECP256K1_DOUBLE => Some("SECP256K1_DOUBLE"),
        UINT256_MULMOD => Some("UINT256_MULMOD"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_a_distinct_name() {
        let ids = [
            HALT,
            WRITE,
            HINT_LEN,
            HINT_READ,
            COMMIT,
            KECCAK_PERMUTE,
            SECP256K1_ADD,
            SECP256K1_DOUBLE,
            UINT256_MULMOD,
        ];
        for (i, &a) in ids.iter().enumerate() {
            assert!(name(a).is_some(), "{a:#x}");
            for &b in &ids[i + 1..] {
                assert_ne!(name(a), name(b));
            }
        }
        assert_eq!(name(0x104), None);
    }
}
