//! Columns of the keccak control chip.

use geode_stark::columns;

use crate::keccak::LANES;
use crate::memory::access::MemoryAccessCols;

columns! {
    /// One KECCAK_PERMUTE `ecall`.
    pub struct KeccakControlCols<T> {
        pub is_real: T,
        pub clk: T,
        /// `a0`: the state's address, and its low byte over 4.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// The `a1` and `a2` reads every `ecall` makes.
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
        /// The state's words, lane by lane (low half first): `prev_value` is the input,
        /// `output` what is written.
        pub words: [[MemoryAccessCols<T>; 2]; LANES],
        pub output: [[[T; 4]; 2]; LANES],
    }
}
