//! The secp256k1 point chip: SECP256K1_ADD and SECP256K1_DOUBLE, one row per call.
//!
//! With `P = (x1, y1)` found at `a0`, `Q = (x2, y2)` found at `a1` (a doubling uses `Q = P`) and
//! `R = (x3, y3)` written over `P`, a row proves, modulo the secp256k1 prime `p`:
//! 1. `inv·d ≡ 1`, with `d = x2 − x1` (add) or `2·y1` (double): the call is defined;
//! 2. `λ·d ≡ n`, with `n = y2 − y1` (add) or `3·x1²` (double): `λ` is the slope;
//! 3. `x3 ≡ λ² − x1 − x2`;
//! 4. `y3 ≡ λ·(x1 − x3) − y1`;
//!
//! and `x3, y3 < p`, each through the [`field_eq`](crate::uint256::field_eq) and
//! [`less_than`](crate::uint256::less_than) gadgets. An equation `e ≡ 0` is proven as
//! `e + 2^259·p = q·p` with a 33-byte `q`: the added multiple of `p` keeps the value positive
//! (`|e| < 3·2^512 < 2^259·p`).
//!
//! # Soundness
//! The row receives the `ecall` (id `0x101` or `0x102` from the selectors, which are boolean and
//! exclusive), proves `a0` (and for an add `a1`) a word-aligned RAM address, and requests from
//! the word-io chip the 16 words at `a0` (found: `P`, left: `R`) and for an add the 16 words at
//! `a1` (found and left: `Q`), all at the call's memory slot. Every limb of `P` and `Q` is a byte
//! because memory only holds range-checked bytes; `λ`, `inv`, `x3` and `y3` are range-checked
//! here. Equation 1 makes `d` invertible mod `p`, so equation 2 fixes `λ` uniquely and 3–4 fix
//! `R` mod `p`; the bounds make it canonical. So `R` is the affine sum (or double) the executor
//! computes, and a call that the executor rejects (`x1 ≡ x2`, `y1 ≡ 0`) has no valid row.
//! Overlapping regions would access one word twice at one timestamp, which memory rejects.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::Secp256k1Cols;
pub use trace::generate_trace;

use crate::uint256::LIMBS;

/// The secp256k1 base field prime `2^256 − 2^32 − 977`, little-endian bytes.
pub const P_BYTES: [u8; LIMBS] = {
    let mut p = [0xff; LIMBS];
    p[0] = 0x2f;
    p[1] = 0xfc;
    p[4] = 0xfe;
    p
};

/// Bits by which `p` is shifted into the multiple added to every equation.
pub const OFFSET_SHIFT: usize = 259;

/// SECP256K1_ADD and SECP256K1_DOUBLE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Secp256k1Chip;

impl BaseAir<Val> for Secp256k1Chip {
    fn width(&self) -> usize {
        Secp256k1Cols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for Secp256k1Chip {
    fn name(&self) -> &'static str {
        "secp256k1_point"
    }
    fn column_names(&self) -> Vec<String> {
        Secp256k1Cols::<u8>::names()
    }
}

#[cfg(test)]
mod tests;
