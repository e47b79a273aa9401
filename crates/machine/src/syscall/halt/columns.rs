//! The HALT chip's columns.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// The single HALT row (the rest of the trace is padding).
    pub struct HaltCols<T> {
        pub is_real: T,
        pub clk: T,
        /// `a0`: the exit code.
        pub exit_code: [T; 4],
        /// `a1` (the digest pointer) and `a2` reads.
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
        /// `a1`'s low byte over 4: the pointer is word aligned.
        pub ptr_quarter: T,
        /// The 8 digest words.
        pub digest: [MemoryAccessCols<T>; 8],
    }
}
