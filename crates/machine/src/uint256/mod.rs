//! 256-bit modular arithmetic over byte limbs, shared by the precompile chips: the
//! [`field_eq`] gadget proves that a polynomial expression in limbs is a multiple of a modulus,
//! the [`less_than`] gadget that a result is canonical, and [`mulmod`] is the UINT256_MULMOD
//! chip built on both.
//!
//! A 256-bit integer is 32 little-endian byte limbs, each a column range-checked through the
//! byte table (by whoever creates it, or by the memory chain it was read from). A product of two
//! integers is the convolution of their limbs: 63 coefficients of at most `32·255²`, far below
//! the KoalaBear modulus, so limb arithmetic never wraps.

pub mod field_eq;
pub mod less_than;
pub mod mulmod;

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

pub use field_eq::FieldEqCols;
pub use less_than::LessThanCols;
pub use mulmod::MulModChip;

/// Byte limbs of a 256-bit integer.
pub const LIMBS: usize = 32;
/// Coefficients of an equation: a product of two integers (63) plus the carry out of a 33-limb
/// quotient times a 32-limb modulus (65).
pub const EQ_COEFFS: usize = 2 * LIMBS + 1;

/// A 256-bit integer as little-endian bytes, from eight little-endian words.
pub fn bytes_of_words(words: &[u32]) -> [u8; LIMBS] {
    let mut out = [0; LIMBS];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// The limbs as column values.
pub fn limb_values(bytes: &[u8; LIMBS]) -> [Val; LIMBS] {
    bytes.map(Val::from_u8)
}

/// The coefficients of the product of two limb polynomials (index `i` is the coefficient of
/// `256^i`), padded to [`EQ_COEFFS`].
pub fn conv(a: &[u8; LIMBS], b: &[u8; LIMBS]) -> [i64; EQ_COEFFS] {
    let mut out = [0i64; EQ_COEFFS];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            out[i + j] += i64::from(x) * i64::from(y);
        }
    }
    out
}

/// The same convolution over symbolic limbs.
pub fn conv_expr<E: PrimeCharacteristicRing + Clone>(a: &[E], b: &[E]) -> Vec<E> {
    let mut out = vec![E::ZERO; EQ_COEFFS];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x.clone() * y.clone();
        }
    }
    out
}

/// Adds `sign · limbs` to the low coefficients of `acc`.
pub fn add_limbs(acc: &mut [i64; EQ_COEFFS], limbs: &[u8; LIMBS], sign: i64) {
    for (a, &l) in acc.iter_mut().zip(limbs) {
        *a += sign * i64::from(l);
    }
}

/// The bytes of `modulus · 2^shift` for a 32-byte modulus and `shift < 8·(EQ_COEFFS − LIMBS)`:
/// a multiple of the modulus, added to an equation so its value is never negative.
pub const fn shifted_modulus(modulus: &[u8; LIMBS], shift: usize) -> [u8; EQ_COEFFS] {
    let (bytes, bits) = (shift / 8, shift % 8);
    let mut out = [0u8; EQ_COEFFS];
    let mut k = 0;
    while k <= LIMBS {
        let lo = if k < LIMBS {
            (modulus[k] as u16) << bits
        } else {
            0
        };
        let carry = if k > 0 && bits > 0 {
            (modulus[k - 1] as u16) >> (8 - bits)
        } else {
            0
        };
        if bytes + k < EQ_COEFFS {
            out[bytes + k] = ((lo | carry) & 0xff) as u8;
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use num_bigint::BigUint;

    use super::*;

    #[test]
    fn shifted_modulus_is_the_product() {
        let mut m = [0u8; LIMBS];
        for (k, b) in m.iter_mut().enumerate() {
            *b = (k as u8).wrapping_mul(37).wrapping_add(200);
        }
        for shift in [0, 3, 8, 259, 263] {
            let got = BigUint::from_bytes_le(&shifted_modulus(&m, shift));
            assert_eq!(got, BigUint::from_bytes_le(&m) << shift, "shift {shift}");
        }
    }

    #[test]
    fn conv_is_the_product() {
        let a = [255u8; LIMBS];
        let b: [u8; LIMBS] = std::array::from_fn(|k| k as u8 * 7);
        let value = conv(&a, &b).iter().rev().fold(BigUint::ZERO, |acc, &c| {
            acc * 256u32 + BigUint::from(c as u64)
        });
        assert_eq!(
            value,
            BigUint::from_bytes_le(&a) * BigUint::from_bytes_le(&b)
        );
    }
}
