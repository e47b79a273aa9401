//! Columns of the shift chip.

geode_stark::columns! {
    /// One SLL, SRL or SRA: `a = b << s`, `b >> s` (logical) or `b >> s` (arithmetic) with
    /// `s = c & 31 = bit_shift + 8·byte_shift`, words as little-endian bytes.
    ///
    /// Each byte of `b` is multiplied by `mult`, `2^bit_shift` (SLL) or `2^(8 − bit_shift)`
    /// (SRL, SRA), and split into `lo + 256·hi`; the bit-shifted word's bytes are sums of a `lo`
    /// and a neighbouring `hi`, and the byte shift picks which of them lands in `a`.
    pub struct ShiftCols<T> {
        pub a: [T; 4],
        pub b: [T; 4],
        pub c: [T; 4],
        pub is_sll: T,
        pub is_srl: T,
        pub is_sra: T,
        /// The bits of `e`, with `mult = 2^e` (SLL: `e = bit_shift`) or `mult = 2^(e + 1)`
        /// (SRL, SRA: `e = 7 − bit_shift`).
        pub exp_bits: [T; 3],
        /// `2^e − 1` (0 on padding rows, where the bits are 0).
        pub pow_minus_one: T,
        /// One-hot: the byte shift `(c[0] >> 3) & 3` (none on padding rows).
        pub byte_flag: [T; 4],
        /// `c[0] >> 5`, the bits of `c[0]` the shift ignores.
        pub c0_hi: T,
        /// `b[i]·mult = lo[i] + 256·hi[i]`, both bytes.
        pub lo: [T; 4],
        pub hi: [T; 4],
        /// The top bit of `b`.
        pub msb: T,
        /// The fill bit: `msb` for SRA, 0 otherwise.
        pub sign: T,
    }
}

impl<T: Copy> ShiftCols<T> {
    /// The byte cells range-checked with `Pair` lookups, in lookup order. `b[3]` is
    /// range-checked by its `Msb` lookup, `c[0]` by its decomposition (see the AIR), and `a` is
    /// forced to the true result bytes.
    pub fn range_checked(&self) -> [T; 14] {
        let [b, c, lo, hi] = [self.b, self.c, self.lo, self.hi];
        [
            b[0], b[1], b[2], c[1], c[2], c[3], lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], hi[2],
            hi[3],
        ]
    }
}
