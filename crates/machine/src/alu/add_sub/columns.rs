//! Columns of the ADD/SUB chip.

geode_stark::columns! {
    /// One ADD or SUB: `a = b + c` or `a = b − c` (mod 2^32), as little-endian bytes.
    pub struct AddSubCols<T> {
        pub a: [T; 4],
        pub b: [T; 4],
        pub c: [T; 4],
        /// The carry out of each byte of the addition: `b + c` for ADD, `a + c` for SUB.
        pub carry: [T; 4],
        pub is_add: T,
        pub is_sub: T,
    }
}

impl<T: Copy> AddSubCols<T> {
    /// The byte cells range-checked with `Pair` lookups, in lookup order.
    pub fn range_checked(&self) -> [T; 12] {
        let [a, b, c] = [self.a, self.b, self.c];
        [
            a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3],
        ]
    }
}
