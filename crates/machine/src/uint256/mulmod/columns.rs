//! Columns of the UINT256_MULMOD chip.

use geode_stark::columns;

use crate::uint256::{FieldEqCols, LIMBS, LessThanCols};
use crate::word_io::PointerEntryCols;

columns! {
    /// One modular multiplication.
    pub struct MulModCols<T> {
        pub is_real: T,
        /// The call; `a0` points to `x`, `a1` to `y` then `m`.
        pub entry: PointerEntryCols<T>,
        /// The operands as found.
        pub x: [T; LIMBS],
        pub y: [T; LIMBS],
        pub m: [T; LIMBS],
        /// The result, written over `x`, and the proof that it is below `m`.
        pub r: [T; LIMBS],
        pub r_lt: LessThanCols<T>,
        /// `x·y − r = q·m`.
        pub eq: FieldEqCols<T>,
    }
}
