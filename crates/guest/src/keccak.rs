//! Ethereum's keccak256 on the `KECCAK_PERMUTE` precompile: the guest only absorbs and pads,
//! the host (and the prover's keccak chip) does each keccak-f\[1600\].

use geode_platform::DIGEST_BYTES;

use crate::cell::GuestCell;
use crate::syscalls;

/// Whether this run has called `KECCAK_PERMUTE` yet: once it has, its proof holds the keccak
/// chips anyway and a further permutation on them costs ~185 cycles, not ~17,000.
static PRECOMPILE_USED: GuestCell<bool> = GuestCell::new(false);

/// Bytes absorbed per permutation: 1600 bits of state less 2 × 256 bits of capacity.
pub const RATE: usize = 136;

const LANE_BYTES: usize = 8;

impl tiny_keccak::Hasher for Keccak256 {
    /// Absorbs `input`, as [`Keccak256::update`].
    fn update(&mut self, input: &[u8]) {
        Keccak256::update(self, input);
    }

    /// Writes the digest into `output` (its first 32 bytes; a shorter `output` gets a prefix),
    /// as `tiny_keccak::Keccak::v256` does: code written against `tiny_keccak::Hasher` runs on
    /// the precompile unchanged.
    fn finalize(self, output: &mut [u8]) {
        let digest = Keccak256::finalize(self);
        let n = output.len().min(DIGEST_BYTES);
        output[..n].copy_from_slice(&digest[..n]);
    }
}

/// keccak-f\[1600\] in place on 25 little-endian lanes, by the `KECCAK_PERMUTE` syscall.
pub fn permute(state: &mut [u64; 25]) {
    PRECOMPILE_USED.with(|used| *used = true);
    syscalls::keccak_permute(state);
}

/// Whether [`permute`] has been called in this run.
pub(crate) fn precompile_used() -> bool {
    PRECOMPILE_USED.with(|used| *used)
}

/// keccak256 of `data` (Ethereum's, with the original Keccak padding, not SHA3-256).
#[inline]
pub fn keccak256(data: &[u8]) -> [u8; DIGEST_BYTES] {
    // In place: moving the 208-byte hasher costs more cycles than absorbing a short input.
    let mut hasher = Keccak256::new();
    hasher.update(data);
    hasher.finish()
}

/// Incremental keccak256: [`update`](Self::update) any number of times, then
/// [`finalize`](Self::finalize).
#[derive(Clone, Debug, Default)]
pub struct Keccak256 {
    state: [u64; 25],
    /// Bytes absorbed into the current block, `0..RATE`.
    pos: usize,
}

impl Keccak256 {
    /// A hasher that has absorbed nothing (named as `tiny_keccak::Keccak::v256`).
    pub const fn v256() -> Self {
        Self::new()
    }

    /// A hasher that has absorbed nothing.
    pub const fn new() -> Self {
        Self {
            state: [0; 25],
            pos: 0,
        }
    }

    /// Absorbs `data`.
    #[inline]
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pos.is_multiple_of(LANE_BYTES) && data.len() >= LANE_BYTES {
                // Lane-aligned: XOR whole lanes, up to the end of the data or of the block.
                let lanes = ((RATE - self.pos) / LANE_BYTES).min(data.len() / LANE_BYTES);
                let (chunks, _) = data[..lanes * LANE_BYTES].as_chunks::<LANE_BYTES>();
                let first = self.pos / LANE_BYTES;
                for (lane, chunk) in self.state[first..first + lanes].iter_mut().zip(chunks) {
                    *lane ^= u64::from_le_bytes(*chunk);
                }
                self.pos += lanes * LANE_BYTES;
                data = &data[lanes * LANE_BYTES..];
            } else {
                self.xor_byte(self.pos, data[0]);
                self.pos += 1;
                data = &data[1..];
            }
            if self.pos == RATE {
                permute(&mut self.state);
                self.pos = 0;
            }
        }
    }

    /// Pads the last block (keccak's pad10*1 with domain byte 0x01) and squeezes the digest.
    #[inline]
    pub fn finalize(mut self) -> [u8; DIGEST_BYTES] {
        self.finish()
    }

    /// [`Keccak256::finalize`] without moving the hasher; leaves it spent.
    #[inline]
    fn finish(&mut self) -> [u8; DIGEST_BYTES] {
        self.finish_with(permute)
    }

    /// Pads and squeezes as [`Keccak256::finalize`], with the last permutation done by
    /// `last_permute` (the precompile or software; both compute keccak-f\[1600\]).
    pub(crate) fn finish_with(&mut self, last_permute: fn(&mut [u64; 25])) -> [u8; DIGEST_BYTES] {
        // When `pos == RATE - 1` both XORs hit the same byte, giving 0x81, as the padding rule
        // requires.
        self.xor_byte(self.pos, 0x01);
        self.xor_byte(RATE - 1, 0x80);
        last_permute(&mut self.state);
        let mut digest = [0; DIGEST_BYTES];
        for (out, lane) in digest.chunks_exact_mut(LANE_BYTES).zip(&self.state) {
            out.copy_from_slice(&lane.to_le_bytes());
        }
        digest
    }

    /// XORs `byte` into byte `index` of the state, lanes being little-endian.
    fn xor_byte(&mut self, index: usize, byte: u8) {
        self.state[index / LANE_BYTES] ^= u64::from(byte) << (8 * (index % LANE_BYTES));
    }
}
