//! Columns of the memory-final chip.

use geode_stark::columns;

columns! {
    /// The last state of one address; rows are sorted by address.
    pub struct MemoryFinalCols<T> {
        /// The address.
        pub addr: T,
        /// Its final word, little-endian bytes.
        pub value: [T; 4],
        /// Timestamp of its last access (0: never accessed).
        pub ts: T,
        /// 1 on real rows (which come first), 0 on padding.
        pub is_real: T,
        /// 1 iff the next row is real: the gap to it is range-checked.
        pub has_next: T,
        /// Bits 0..16 of `next.addr − addr − 1`.
        pub gap_lo: T,
        /// Bits 16..29 of `next.addr − addr − 1`.
        pub gap_hi: T,
    }
}
