//! The base field of secp256k1, integers mod p = 2^256 − 2^32 − 977: the curve equation and
//! square roots, on the `UINT256_MULMOD` precompile.

use crate::uint256::{self, MulMod, U256};

/// The field modulus p = 2^256 − 2^32 − 977.
pub const P: U256 = [
    0xFFFF_FC2F,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
    0xFFFF_FFFF,
];

/// The constant of the curve equation y² = x³ + 7.
const B: U256 = [7, 0, 0, 0, 0, 0, 0, 0];

/// Whether `x` is a canonical field element (`x < p`).
#[inline]
pub fn is_canonical(x: &U256) -> bool {
    uint256::lt(x, &P)
}

/// x³ + 7 mod p, for a canonical `x`: the square of the y of a curve point with this x.
pub fn curve_rhs(mm: &mut MulMod, x: &U256) -> U256 {
    let mut rhs = *x;
    mm.square(&mut rhs);
    mm.mul(&mut rhs, x);
    uint256::add_mod(&mut rhs, &B, &P);
    rhs
}

/// Whether canonical `(x, y)` satisfies y² = x³ + 7 (mod p).
pub fn is_on_curve(x: &U256, y: &U256) -> bool {
    let mut mm = MulMod::new(&P);
    let rhs = curve_rhs(&mut mm, x);
    let mut y2 = *y;
    mm.square(&mut y2);
    uint256::eq(&y2, &rhs)
}

/// A square root of the canonical `a` mod p (either of the two), or `None` if `a` is not a
/// square.
///
/// p ≡ 3 (mod 4), so a^((p+1)/4) is a root whenever one exists; the result is checked by
/// squaring it. (p+1)/4 is, in binary, 223 ones, a zero, 22 ones and `00001100`; the addition
/// chain (libsecp256k1's) builds a^(2^k − 1) for k in {2, 3, 6, 9, 11, 22, 44, 88, 176, 220,
/// 223} and assembles the exponent from those blocks: 253 squarings and 13 multiplications.
pub fn sqrt(mm: &mut MulMod, a: &U256) -> Option<U256> {
    // x_k = a^(2^k - 1).
    let mut x2 = *a;
    mm.square(&mut x2);
    mm.mul(&mut x2, a);
    let mut x3 = x2;
    mm.square(&mut x3);
    mm.mul(&mut x3, a);
    let mut x6 = x3;
    mm.square_n(&mut x6, 3);
    mm.mul(&mut x6, &x3);
    let mut x9 = x6;
    mm.square_n(&mut x9, 3);
    mm.mul(&mut x9, &x3);
    let mut x11 = x9;
    mm.square_n(&mut x11, 2);
    mm.mul(&mut x11, &x2);
    let mut x22 = x11;
    mm.square_n(&mut x22, 11);
    mm.mul(&mut x22, &x11);
    let mut x44 = x22;
    mm.square_n(&mut x44, 22);
    mm.mul(&mut x44, &x22);
    let mut x88 = x44;
    mm.square_n(&mut x88, 44);
    mm.mul(&mut x88, &x44);
    let mut x176 = x88;
    mm.square_n(&mut x176, 88);
    mm.mul(&mut x176, &x88);
    let mut x220 = x176;
    mm.square_n(&mut x220, 44);
    mm.mul(&mut x220, &x44);
    let mut root = x220;
    mm.square_n(&mut root, 3);
    mm.mul(&mut root, &x3);
    // 223 ones; then a zero and 22 ones; then 000011; then 00.
    mm.square_n(&mut root, 23);
    mm.mul(&mut root, &x22);
    mm.square_n(&mut root, 6);
    mm.mul(&mut root, &x2);
    mm.square_n(&mut root, 2);

    let mut check = root;
    mm.square(&mut check);
    uint256::eq(&check, a).then_some(root)
}
