//! Columns of the division/remainder chip.

geode_stark::columns! {
    /// One DIV, DIVU, REM or REMU of `b` by `c`: the quotient `q` and remainder `r` as
    /// little-endian bytes, with `b = Q·c + r` over the integers (`Q` the quotient as an integer,
    /// see `q_hi`) and `|r| < |c|`. The result `a` is `q` (DIV, DIVU) or `r` (REM, REMU).
    pub struct DivRemCols<T> {
        /// The dividend (`rs1`).
        pub b: [T; 4],
        /// The divisor.
        pub c: [T; 4],
        /// The quotient's low 32 bits: DIV's and DIVU's result.
        pub q: [T; 4],
        /// The remainder: REM's and REMU's result.
        pub r: [T; 4],
        pub is_div: T,
        pub is_divu: T,
        pub is_rem: T,
        pub is_remu: T,
        /// The top bits of `b`, `c` and `r` (their signs for DIV and REM).
        pub b_msb: T,
        pub c_msb: T,
        pub r_msb: T,
        /// The quotient as an integer is `Q = q − 2^32·q_hi` (0 for DIVU, REMU). Not the top bit
        /// of `q`: DIV's `i32::MIN / −1` has `Q = 2^31`, whose low 32 bits are the result.
        pub q_hi: T,
        /// `c = 0`.
        pub c_is_zero: T,
        /// The carry out of each byte `k < 7` of `Q·c + r − b = 0`: a signed integer (honestly
        /// in `[−1, 2^11)`), range-checked as `carry + CARRY_OFFSET < 2^16`.
        pub carry: [T; 7],
        /// `|c| − |r| − 1` (plus 2^32 when `c = 0`): a word, so `|r| < |c|`.
        pub gap: [T; 4],
        /// The carry out of the gap equation's low half, in `[−3, 1]`.
        pub gap_carry: T,
    }
}

impl<T: Copy> DivRemCols<T> {
    /// The byte cells range-checked with `Pair` lookups, in lookup order. `b[3]`, `c[3]` and
    /// `r[3]` are range-checked by their `Msb` lookups, `gap[3]` beside `gap_carry + 3`.
    pub fn range_checked(&self) -> [T; 16] {
        let [b, c, q, r, gap] = [self.b, self.c, self.q, self.r, self.gap];
        [
            b[0], b[1], b[2], c[0], c[1], c[2], r[0], r[1], r[2], q[0], q[1], q[2], q[3], gap[0],
            gap[1], gap[2],
        ]
    }
}
