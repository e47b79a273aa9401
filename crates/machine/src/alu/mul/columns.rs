//! Columns of the multiplication chip.

geode_stark::columns! {
    /// One MUL, MULH, MULHSU or MULHU: the 64-bit product of `b` and `c`, each extended to
    /// 64 bits (with its sign for the signed operands), as 8 little-endian bytes: `a` is its
    /// low word for MUL and its high word otherwise, `rest` the other word.
    pub struct MulCols<T> {
        pub a: [T; 4],
        pub b: [T; 4],
        pub c: [T; 4],
        /// The word of the product that is not the result.
        pub rest: [T; 4],
        /// The carry out of each byte column of the schoolbook product.
        pub carry: [T; 8],
        pub is_mul: T,
        pub is_mulh: T,
        pub is_mulhsu: T,
        pub is_mulhu: T,
        /// The top bits of `b` and `c`.
        pub msb_b: T,
        pub msb_c: T,
    }
}

impl<T: Copy> MulCols<T> {
    /// The byte cells range-checked with `Pair` lookups, in lookup order. `b[3]` and `c[3]` are
    /// range-checked by their `Msb` lookups.
    pub fn range_checked(&self) -> [T; 14] {
        let [a, b, c, rest] = [self.a, self.b, self.c, self.rest];
        [
            a[0], a[1], a[2], a[3], b[0], b[1], b[2], c[0], c[1], c[2], rest[0], rest[1], rest[2],
            rest[3],
        ]
    }
}
