//! Counting byte-table lookups during trace generation: every chip that looks up `(op, x, y, z)`
//! records it here (from many threads at once), and the byte chip's multiplicity columns are
//! these counts.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::bus::ByteOp;

/// Lookup counts per op and table row, shared by all trace generators.
#[derive(Debug)]
pub struct ByteCounter {
    counts: Vec<AtomicU32>,
}

impl Default for ByteCounter {
    fn default() -> Self {
        Self::new()
    }
}

impl ByteCounter {
    /// All counts zero.
    pub fn new() -> Self {
        Self {
            counts: (0..ByteOp::ALL.len() << 16)
                .map(|_| AtomicU32::new(0))
                .collect(),
        }
    }

    fn index(op: ByteOp, x: u8, y: u8) -> usize {
        ((op as usize) << 16) | (usize::from(y) << 8) | usize::from(x)
    }

    /// Records one lookup of `op`'s entry `(x, y, z)`.
    ///
    /// A false relation (which only a forged event yields) is not counted: no table row
    /// provides it, so its lookup stays unmatched and the byte bus rejects the trace.
    pub fn add(&self, op: ByteOp, entry: [u32; 3]) {
        if let Some((x, y)) = op.row_of(entry)
            && op.entry(x, y) == Some(entry)
        {
            self.counts[Self::index(op, x, y)].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Records a `Pair` lookup proving `x` and `y` are bytes.
    pub fn pair(&self, x: u8, y: u8) {
        self.add(ByteOp::Pair, [x.into(), y.into(), 0]);
    }

    /// Records the lookup of [`crate::bus::check_top_byte_below_32`] for top byte `w3`.
    pub fn top_byte_below_32(&self, w3: u8) {
        self.add(ByteOp::Pair, [w3.into(), u32::from(w3) * 8, 0]);
    }

    /// Records the two lookups of [`crate::bus::check_word_bytes`] for `word`.
    pub fn word(&self, word: u32) {
        let [b0, b1, b2, b3] = word.to_le_bytes();
        self.pair(b0, b1);
        self.pair(b2, b3);
    }

    /// Records a `U16` lookup of `value`.
    pub fn u16(&self, value: u16) {
        self.add(ByteOp::U16, [value.into(), 0, 0]);
    }

    /// How many times `op`'s entry at table row `(x, y)` was looked up.
    pub fn count(&self, op: ByteOp, x: u8, y: u8) -> u32 {
        self.counts[Self::index(op, x, y)].load(Ordering::Relaxed)
    }
}
