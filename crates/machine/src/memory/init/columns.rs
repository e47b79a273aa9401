//! Columns of the memory-init chip.

use geode_stark::columns;

columns! {
    /// One address that starts at value 0, timestamp 0.
    pub struct MemoryInitCols<T> {
        /// The address: `addr_lo + 2^16·addr_hi`.
        pub addr: T,
        /// Bits 0..16 of the address.
        pub addr_lo: T,
        /// Bits 16..29 of the address.
        pub addr_hi: T,
        /// 1 on real rows, 0 on padding.
        pub is_real: T,
    }
}
