//! Scalars of secp256k1, integers mod the group order n: range checks, reduction and inversion
//! on the `UINT256_MULMOD` precompile.

use crate::uint256::{self, MulMod, U256, mulmod};

/// The group order n.
pub const N: U256 = [
    0xD036_4141,
    0xBFD2_5E8C,
    0xAF48_A03B,
    0xBAAE_DCE6,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
];

/// ⌊n/2⌋: a scalar above it is "high" (k256's `IsHigh`, Ethereum's EIP-2 bound on `s`).
pub const N_HALF: U256 = [
    0x681B_20A0,
    0xDFE9_2F46,
    0x57A4_501D,
    0x5D57_6E73,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0x7FFF_FFFF,
];

/// n − 2, Fermat's exponent for inversion.
const N_MINUS_2: U256 = [
    0xD036_413F,
    0xBFD2_5E8C,
    0xAF48_A03B,
    0xBAAE_DCE6,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
];

/// Whether `x` is a nonzero scalar, in `[1, n − 1]`: the range of ECDSA's `r` and `s`.
#[inline]
pub fn is_nonzero_scalar(x: &U256) -> bool {
    !uint256::is_zero(x) && uint256::lt(x, &N)
}

/// Whether `x > ⌊n/2⌋`.
#[inline]
pub fn is_high(x: &U256) -> bool {
    uint256::lt(&N_HALF, x)
}

/// `x mod n` for any 256-bit `x` (below 2^256 < 2n, so at most one subtraction): how ECDSA
/// turns a 32-byte prehash, or the x coordinate of a point, into a scalar.
#[inline]
pub fn reduce(x: &U256) -> U256 {
    let mut reduced = *x;
    uint256::reduce_once(&mut reduced, &N);
    reduced
}

/// `a · b mod n`, for `a < n` or `b < n`.
#[inline]
pub fn mul(a: &U256, b: &U256) -> U256 {
    let mut product = *a;
    mulmod(&mut product, &[*b, N]);
    product
}

/// `(−a) mod n`, for `a < n`.
#[inline]
pub fn neg(a: &U256) -> U256 {
    uint256::neg_mod(a, &N)
}

/// a⁻¹ mod n for `a` in `[1, n − 1]`, as a^(n−2) (Fermat; n is prime).
///
/// A fixed 4-bit window: 14 products build a¹..a¹⁵ (each stored next to n, so that multiplying
/// by it needs no copy), then each of the 63 lower nibbles of n − 2 costs 4 squarings and, for
/// the 61 nonzero ones, a product: about 330 `UINT256_MULMOD` calls. (Zero maps to zero.)
pub fn invert(a: &U256) -> U256 {
    // powers[i] = [a^(i+1), n].
    let mut powers = [[*a, N]; 15];
    for i in 1..powers.len() {
        let (lower, upper) = powers.split_at_mut(i);
        upper[0][0] = lower[i - 1][0];
        mulmod(&mut upper[0][0], &lower[0]);
    }

    let mut mm = MulMod::new(&N);
    let nibble = |k: usize| ((N_MINUS_2[k / 8] >> (4 * (k % 8))) & 0xF) as usize;
    let top = nibble(63);
    let mut acc = powers[top - 1][0];
    for k in (0..63).rev() {
        mm.square_n(&mut acc, 4);
        let bits = nibble(k);
        if bits != 0 {
            mulmod(&mut acc, &powers[bits - 1]);
        }
    }
    acc
}
