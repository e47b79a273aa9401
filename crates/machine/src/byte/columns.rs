//! Columns of the byte table.

use crate::bus::ByteOp;

geode_stark::columns! {
    /// The preprocessed (fixed) columns: row `r` holds `x = r & 255`, `y = r >> 8` and the
    /// result of every relation on `(x, y)`, so no result is ever chosen by the prover.
    pub struct ByteTableCols<T> {
        pub x: T,
        pub y: T,
        /// `x & y`.
        pub and: T,
        /// `x | y`.
        pub or: T,
        /// `x ^ y`.
        pub xor: T,
        /// `x < y`.
        pub ltu: T,
        /// `x >> 7`.
        pub msb: T,
        /// `y == 0`: the rows that provide `Msb` (its entry ignores `y`).
        pub y_is_zero: T,
    }
}

geode_stark::columns! {
    /// The main trace: how many times each op's entry of this row is looked up.
    pub struct ByteMultCols<T> {
        pub pair: T,
        pub and: T,
        pub or: T,
        pub xor: T,
        pub ltu: T,
        pub u16: T,
        pub msb: T,
    }
}

impl<T> ByteMultCols<T> {
    /// The multiplicity column of `op`.
    pub fn get(&self, op: ByteOp) -> &T {
        match op {
            ByteOp::Pair => &self.pair,
            ByteOp::And => &self.and,
            ByteOp::Or => &self.or,
            ByteOp::Xor => &self.xor,
            ByteOp::Ltu => &self.ltu,
            ByteOp::U16 => &self.u16,
            ByteOp::Msb => &self.msb,
        }
    }

    /// The multiplicity column of `op`, mutably.
    pub fn get_mut(&mut self, op: ByteOp) -> &mut T {
        match op {
            ByteOp::Pair => &mut self.pair,
            ByteOp::And => &mut self.and,
            ByteOp::Or => &mut self.or,
            ByteOp::Xor => &mut self.xor,
            ByteOp::Ltu => &mut self.ltu,
            ByteOp::U16 => &mut self.u16,
            ByteOp::Msb => &mut self.msb,
        }
    }
}
