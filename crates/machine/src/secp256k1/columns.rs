//! Columns of the secp256k1 point chip: one row per SECP256K1_ADD or SECP256K1_DOUBLE.

use geode_stark::columns;

use crate::uint256::{FieldEqCols, LIMBS, LessThanCols};
use crate::word_io::PointerEntryCols;

columns! {
    /// One point addition or doubling.
    pub struct Secp256k1Cols<T> {
        pub is_add: T,
        pub is_double: T,
        /// The call; `a0` points to `P`, and for an add `a1` to `Q`.
        pub entry: PointerEntryCols<T>,
        /// `P` as found: `x1`, `y1`.
        pub p: [[T; LIMBS]; 2],
        /// `Q` as found (`x2`, `y2`); a copy of `P` for a doubling.
        pub q: [[T; LIMBS]; 2],
        /// The slope and the inverse of its denominator.
        pub lambda: [T; LIMBS],
        pub inv: [T; LIMBS],
        /// `R = (x3, y3)`, written over `P`, and the proofs that both are below `p`.
        pub r: [[T; LIMBS]; 2],
        pub r_lt: [LessThanCols<T>; 2],
        /// The equations' witnesses: `inv·d ≡ 1`, `λ·d ≡ n`, `x3`, `y3`.
        pub eq: [FieldEqCols<T>; 4],
    }
}
