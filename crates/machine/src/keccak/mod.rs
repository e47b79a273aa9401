//! The KECCAK_PERMUTE precompile: a control chip that handles the `ecall` and the 50 state
//! words in memory, and a permutation chip built on `p3-keccak-air`, joined by the keccak bus.
//!
//! # Soundness
//! The control chip receives each KECCAK_PERMUTE `ecall` once and, at the cycle's memory slot,
//! reads-and-writes the 50 words at `a0..a0+200` (`a0` a word-aligned RAM address): the words
//! it finds are the input state, the words it leaves the output state, sent as 16-bit limbs on
//! the keccak bus. The permutation chip receives `(clk, input, output)` only on the last row
//! of a 24-round block whose preimage is `input` and whose final state is `output`, which
//! `p3-keccak-air`'s constraints make `keccak-f[1600](input)`. So every proven KECCAK_PERMUTE
//! replaced the state at `a0` by its permutation, as the executor does.

pub mod control;
pub mod permute;

pub use control::KeccakControlChip;
pub use permute::KeccakPermuteChip;

/// 64-bit lanes in the keccak state.
pub const LANES: usize = 25;
/// 32-bit words in the keccak state.
pub const STATE_WORDS: usize = 50;
/// 16-bit limbs in the keccak state (the keccak bus carries them).
pub const STATE_LIMBS: usize = 100;
