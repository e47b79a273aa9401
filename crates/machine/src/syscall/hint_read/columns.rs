//! Columns of HINT_READ: one row per word written (one row for a zero-length read).

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// One word of one HINT_READ.
    pub struct HintReadCols<T> {
        pub is_real: T,
        /// The syscall's first row: receives the `ecall` and reads `a1`, `a2`.
        pub is_first: T,
        pub clk: T,
        /// Address of this row's word.
        pub ptr: T,
        /// Bytes still to write, this row's included.
        pub len_left: T,
        /// How many bytes this row writes (0..=4), one-hot.
        pub writes: [T; 5],
        /// `a0` (the destination) on the first row, and its low byte over 4.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// `a1` (the length) and `a2` reads, on the first row.
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
        /// The word's access; bytes past the written ones keep their value.
        pub word: MemoryAccessCols<T>,
        pub value: [T; 4],
    }
}
