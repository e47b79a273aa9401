//! Columns of the keccak control chip: one row per lane, 25 rows per KECCAK_PERMUTE.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// One lane (two words) of one KECCAK_PERMUTE.
    pub struct KeccakControlCols<T> {
        pub is_real: T,
        /// The call's first row (lane 0): receives the `ecall`, reads `a1` and `a2`, checks `a0`.
        pub is_first: T,
        pub clk: T,
        /// The lane, 0..25 (`x + 5y`).
        pub lane: T,
        /// Address of the lane's low word: `a0 + 8·lane`.
        pub ptr: T,
        /// `a0` and its low byte over 4, on the first row.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// The `a1` and `a2` reads every `ecall` makes, on the first row.
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
        /// The lane's two words (low first): `prev_value` is the input, `output` what is written.
        pub words: [MemoryAccessCols<T>; 2],
        pub output: [[T; 4]; 2],
    }
}
