//! Columns of the set-less-than chip.

geode_stark::columns! {
    /// One SLT or SLTU: `a = [b < c, 0, 0, 0]` (signed or unsigned), `b`, `c` little-endian.
    pub struct LtCols<T> {
        /// `a[0]`; the other bytes of `a` are 0.
        pub result: T,
        pub b: [T; 4],
        pub c: [T; 4],
        pub is_slt: T,
        pub is_sltu: T,
        /// One-hot: the most significant byte where `b` and `c` differ (none if `b = c`).
        pub byte_flag: [T; 4],
        /// `b` and `c` at the flagged byte (0 if none).
        pub b_diff: T,
        pub c_diff: T,
        /// `1 / (b_diff − c_diff)` when a byte is flagged: proves the bytes differ.
        pub diff_inv: T,
        /// `b <u c`, i.e. `b_diff < c_diff`.
        pub ltu: T,
        /// The top bits of `b` and `c`.
        pub sign_b: T,
        pub sign_c: T,
    }
}

impl<T: Copy> LtCols<T> {
    /// The byte cells range-checked with `Pair` lookups, in lookup order. `b[3]` and `c[3]` are
    /// range-checked by their `Msb` lookups.
    pub fn range_checked(&self) -> [T; 6] {
        let [b, c] = [self.b, self.c];
        [b[0], b[1], c[0], c[1], b[2], c[2]]
    }
}
