//! The keccak permutation chip: `p3-keccak-air`'s columns and constraints (evaluated through a
//! sub-builder, not rewritten) plus the cycle of the `ecall` each permutation serves.
//!
//! # Soundness
//! `p3-keccak-air` makes every 24-row block (from row 0) one keccak-f[1600] of its `preimage`,
//! with the final state on the block's last row, where alone `export` may be 1. `clk` is
//! constant within a block. On that row the chip receives, for each lane, `(clk, lane,
//! preimage limbs, final limbs)` on the keccak bus with multiplicity `export`, so the 25 lanes
//! it balances for a cycle are one true permutation; padding blocks (`export = 0`) receive
//! nothing.

mod air;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;
use p3_keccak_air::{KeccakCols, NUM_KECCAK_COLS, U64_LIMBS};

pub use trace::generate_trace;

/// The permutation chip's width: the keccak-air columns, then `clk`.
pub const NUM_COLS: usize = NUM_KECCAK_COLS + 1;
/// The column of `clk`.
pub const CLK: usize = NUM_KECCAK_COLS;

/// keccak-f[1600] permutations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeccakPermuteChip;

impl BaseAir<Val> for KeccakPermuteChip {
    fn width(&self) -> usize {
        NUM_COLS
    }
}

impl Chip<Val> for KeccakPermuteChip {
    fn name(&self) -> &'static str {
        "keccak_permute"
    }
    fn column_names(&self) -> Vec<String> {
        column_names()
    }
}

/// The keccak-air column map: each field holding its column index.
pub fn col_map() -> KeccakCols<usize> {
    let indices: Vec<usize> = (0..NUM_KECCAK_COLS).collect();
    let map: &KeccakCols<usize> = std::borrow::Borrow::borrow(&indices[..]);
    KeccakCols {
        step_flags: map.step_flags,
        export: map.export,
        preimage: map.preimage,
        a: map.a,
        c: map.c,
        c_prime: map.c_prime,
        a_prime: map.a_prime,
        a_prime_prime: map.a_prime_prime,
        a_prime_prime_0_0_bits: map.a_prime_prime_0_0_bits,
        a_prime_prime_prime_0_0_limbs: map.a_prime_prime_prime_0_0_limbs,
    }
}

/// One name per column, from keccak-air's field names (`preimage[y][x][limb]`, …) and `clk`.
fn column_names() -> Vec<String> {
    let m = col_map();
    let mut named: Vec<(usize, String)> = Vec::with_capacity(NUM_COLS);
    let mut add = |index: usize, name: String| named.push((index, name));
    for (k, &c) in m.step_flags.iter().enumerate() {
        add(c, format!("step_flags[{k}]"));
    }
    add(m.export, "export".into());
    for y in 0..5 {
        for x in 0..5 {
            for l in 0..U64_LIMBS {
                add(m.preimage[y][x][l], format!("preimage[{y}][{x}][{l}]"));
                add(m.a[y][x][l], format!("a[{y}][{x}][{l}]"));
                add(
                    m.a_prime_prime[y][x][l],
                    format!("a_prime_prime[{y}][{x}][{l}]"),
                );
            }
            for z in 0..64 {
                add(m.a_prime[y][x][z], format!("a_prime[{y}][{x}][{z}]"));
            }
        }
    }
    for x in 0..5 {
        for z in 0..64 {
            add(m.c[x][z], format!("c[{x}][{z}]"));
            add(m.c_prime[x][z], format!("c_prime[{x}][{z}]"));
        }
    }
    for z in 0..64 {
        add(
            m.a_prime_prime_0_0_bits[z],
            format!("a_prime_prime_0_0_bits[{z}]"),
        );
    }
    for l in 0..U64_LIMBS {
        add(
            m.a_prime_prime_prime_0_0_limbs[l],
            format!("a_prime_prime_prime_0_0_limbs[{l}]"),
        );
    }
    add(CLK, "clk".into());
    named.sort_by_key(|(index, _)| *index);
    named.into_iter().map(|(_, name)| name).collect()
}
