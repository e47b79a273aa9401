//! Columns of the word-io chip.

use geode_stark::columns;

use super::WORDS;
use crate::memory::access::MemoryAccessCols;

columns! {
    /// Two consecutive words read or written by a precompile.
    pub struct WordIoCols<T> {
        pub is_real: T,
        pub clk: T,
        /// Address of the first word.
        pub addr: T,
        /// The accesses: `prev_value` is what was found.
        pub access: [MemoryAccessCols<T>; WORDS],
        /// What is left (equal to `prev_value` for a read).
        pub value: [[T; 4]; WORDS],
    }
}
