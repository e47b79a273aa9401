//! The secp256k1 and 256-bit modular arithmetic syscalls: `SECP256K1_ADD`, `SECP256K1_DOUBLE`
//! and `UINT256_MULMOD` (contracts in `geode_platform::syscall`).
//!
//! Each checks every argument before it touches memory, so a rejected call changes and records
//! nothing. A successful call records, at its `ecall`'s memory slot, the words at `a0` in address
//! order as read-modify-writes, then (ADD and MULMOD) the words at `a1` in address order as reads:
//! the proving chips read the call's accesses in exactly this order.

use std::sync::LazyLock;

use geode_platform::syscall::{SECP256K1_POINT_BYTES, UINT256_BYTES};
use num_bigint::BigUint;

use crate::machine::Machine;
use crate::tracer::Tracer;

/// Words of one 256-bit integer.
const LIMBS: usize = (UINT256_BYTES / 4) as usize;

/// The secp256k1 base field modulus, 2^256 − 2^32 − 977.
static P: LazyLock<BigUint> = LazyLock::new(|| {
    (BigUint::from(1u8) << 256u32) - (BigUint::from(1u8) << 32u32) - BigUint::from(977u32)
});

impl<T: Tracer> Machine<'_, T> {
    /// `SECP256K1_ADD`: the point at `p_ptr` becomes itself plus the point at `q_ptr`.
    pub(super) fn secp256k1_add(&mut self, p_ptr: u32, q_ptr: u32) -> Result<(), String> {
        let p = self.peek_words(p_ptr, SECP256K1_POINT_BYTES)?;
        let q = self.peek_words(q_ptr, SECP256K1_POINT_BYTES)?;
        check_disjoint(p_ptr, SECP256K1_POINT_BYTES, q_ptr, SECP256K1_POINT_BYTES)?;
        let sum = point_add(&p, &q)?;
        self.write_words(p_ptr, &sum);
        self.record_reads(q_ptr, SECP256K1_POINT_BYTES);
        Ok(())
    }

    /// `SECP256K1_DOUBLE`: the point at `ptr` becomes twice itself.
    pub(super) fn secp256k1_double(&mut self, ptr: u32) -> Result<(), String> {
        let p = self.peek_words(ptr, SECP256K1_POINT_BYTES)?;
        let doubled = point_double(&p)?;
        self.write_words(ptr, &doubled);
        Ok(())
    }

    /// `UINT256_MULMOD`: `x := x·y mod m`, with `x` at `x_ptr` and `y`, `m` at `ym_ptr`.
    pub(super) fn uint256_mulmod(&mut self, x_ptr: u32, ym_ptr: u32) -> Result<(), String> {
        let x = self.peek_words(x_ptr, UINT256_BYTES)?;
        let ym = self.peek_words(ym_ptr, 2 * UINT256_BYTES)?;
        check_disjoint(x_ptr, UINT256_BYTES, ym_ptr, 2 * UINT256_BYTES)?;
        let (y, m) = ym.split_at(LIMBS);
        let product = mulmod(&x, y, m)?;
        self.write_words(x_ptr, &product);
        self.record_reads(ym_ptr, 2 * UINT256_BYTES);
        Ok(())
    }
}

/// Rejects overlapping regions (both already checked to lie inside the map, so no overflow).
fn check_disjoint(a: u32, a_len: u32, b: u32, b_len: u32) -> Result<(), String> {
    if a + a_len <= b || b + b_len <= a {
        Ok(())
    } else {
        Err(format!(
            "regions {a:#010x}..+{a_len:#x} and {b:#010x}..+{b_len:#x} overlap"
        ))
    }
}

/// `P + Q` for points given as 16 little-endian words (`x` then `y`).
fn point_add(p: &[u32], q: &[u32]) -> Result<[u32; 2 * LIMBS], String> {
    let (x1, y1) = coordinates(p);
    let (x2, y2) = coordinates(q);
    if x1 == x2 {
        return Err("points with equal x mod p (P = ±Q) have no affine sum; \
                    use SECP256K1_DOUBLE for P = Q"
            .into());
    }
    let lambda = sub(&y2, &y1) * inverse(&sub(&x2, &x1)) % &*P;
    Ok(chord(&lambda, &x1, &x2, &y1))
}

/// `2P` for a point given as 16 little-endian words (`x` then `y`).
fn point_double(p: &[u32]) -> Result<[u32; 2 * LIMBS], String> {
    let (x, y) = coordinates(p);
    if y == BigUint::ZERO {
        return Err("doubling a point with y = 0 mod p (a point of order 2) is undefined".into());
    }
    let lambda = BigUint::from(3u8) * &x * &x % &*P * inverse(&((&y << 1u32) % &*P)) % &*P;
    Ok(chord(&lambda, &x, &x, &y))
}

/// `x·y mod m` for 8-word little-endian integers.
fn mulmod(x: &[u32], y: &[u32], m: &[u32]) -> Result<[u32; LIMBS], String> {
    let m = BigUint::from_slice(m);
    if m == BigUint::ZERO {
        return Err("modulus m is zero".into());
    }
    let product = BigUint::from_slice(x) * BigUint::from_slice(y);
    if (&product >> 256u32) >= m {
        return Err("x·y is not below m·2^256 (need x < m or y < m)".into());
    }
    Ok(words(&(product % m)))
}

/// The line through `(x1, y1)` with slope `lambda` meets the curve again at `-(x3, y3)`; returns
/// `(x3, y3)`. All inputs are reduced mod p.
fn chord(lambda: &BigUint, x1: &BigUint, x2: &BigUint, y1: &BigUint) -> [u32; 2 * LIMBS] {
    let x3 = sub(&(lambda * lambda % &*P), &((x1 + x2) % &*P));
    let y3 = sub(&(lambda * sub(x1, &x3) % &*P), y1);
    let mut out = [0; 2 * LIMBS];
    out[..LIMBS].copy_from_slice(&words(&x3));
    out[LIMBS..].copy_from_slice(&words(&y3));
    out
}

/// A point's coordinates, reduced mod p.
fn coordinates(point: &[u32]) -> (BigUint, BigUint) {
    let (x, y) = point.split_at(LIMBS);
    (BigUint::from_slice(x) % &*P, BigUint::from_slice(y) % &*P)
}

/// `a − b mod p` for reduced `a`, `b`.
fn sub(a: &BigUint, b: &BigUint) -> BigUint {
    if a >= b { a - b } else { &*P - b + a }
}

/// `a^-1 mod p` for reduced nonzero `a` (Fermat: a^(p−2)).
fn inverse(a: &BigUint) -> BigUint {
    a.modpow(&(&*P - 2u32), &P)
}

/// The eight little-endian words of `n < 2^256`.
fn words(n: &BigUint) -> [u32; LIMBS] {
    let mut out = [0; LIMBS];
    for (o, d) in out.iter_mut().zip(n.iter_u32_digits()) {
        *o = d;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_words() {
        assert_eq!(
            words(&P),
            [
                0xffff_fc2f,
                0xffff_fffe,
                u32::MAX,
                u32::MAX,
                u32::MAX,
                u32::MAX,
                u32::MAX,
                u32::MAX
            ]
        );
    }

    #[test]
    fn inverse_is_an_inverse() {
        for a in [BigUint::from(1u8), BigUint::from(977u32), &*P - 1u32] {
            assert_eq!(&a * inverse(&a) % &*P, BigUint::from(1u8));
        }
    }

    #[test]
    fn disjoint_regions() {
        assert!(check_disjoint(0x100, 32, 0x120, 64).is_ok());
        assert!(check_disjoint(0x120, 64, 0x100, 32).is_ok());
        assert!(check_disjoint(0x100, 32, 0x11c, 64).is_err());
        assert!(check_disjoint(0x11c, 64, 0x100, 32).is_err());
        assert!(check_disjoint(0x100, 64, 0x100, 64).is_err());
    }
}
