//! The KECCAK_PERMUTE precompile: a control chip that handles the `ecall` and the 50 state
//! words in memory, and a permutation chip built on `p3-keccak-air`, joined by the keccak bus.
//!
//! # Soundness
//! The control chip receives each KECCAK_PERMUTE `ecall` once, on the first of 25 rows (lanes
//! 0..25 of one cycle, at `a0 + 8·lane`, `a0` a word-aligned RAM address) and, at the cycle's
//! memory slot, reads-and-writes each lane's two words: the words it finds are the input, the
//! words it leaves the output, sent per lane as 16-bit limbs on the keccak bus. The
//! permutation chip receives the 25 lanes of `clk` only on the last row of a 24-round block
//! whose preimage and final state they are, which `p3-keccak-air`'s constraints make
//! `keccak-f[1600]` of each other. So every proven KECCAK_PERMUTE replaced the state at `a0` by
//! its permutation, as the executor does. (A lane per row keeps the control chip narrow: every
//! FRI query opens one row of every chip, so a wide chip costs proof size at any height.)

pub mod control;
pub mod permute;

pub use control::KeccakControlChip;
pub use permute::KeccakPermuteChip;

/// 64-bit lanes in the keccak state.
pub const LANES: usize = 25;
/// 32-bit words in the keccak state.
pub const STATE_WORDS: usize = 50;
