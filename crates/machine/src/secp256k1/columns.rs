//! Columns of the secp256k1 point chip: one row per SECP256K1_ADD or SECP256K1_DOUBLE.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;
use crate::uint256::{FieldEqCols, LIMBS, LessThanCols};

columns! {
    /// One point addition or doubling.
    pub struct Secp256k1Cols<T> {
        pub is_add: T,
        pub is_double: T,
        pub clk: T,
        /// `a0` (the pointer to `P`, also the result register) and its low byte over 4.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// The low byte over 4 of `a1` (the pointer to `Q`, read by `a1_access`), for an add.
        pub a1_quarter: T,
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
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
