//! Columns of the UINT256_MULMOD chip.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;
use crate::uint256::{FieldEqCols, LIMBS, LessThanCols};

columns! {
    /// One modular multiplication.
    pub struct MulModCols<T> {
        pub is_real: T,
        pub clk: T,
        /// `a0` (the pointer to `x`, also the result register) and its low byte over 4.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// The low byte over 4 of `a1` (the pointer to `y` and `m`, read by `a1_access`).
        pub a1_quarter: T,
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
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
