//! Poseidon over Pallas in the circuit: the wrap transcript ([`Sponge`]) and the wrap Merkle
//! trees ([`hash_row`], [`compress`], [`verify_batch`]), bit for bit those of
//! `geode_stark::config::wrap` (`docs/wrap.md`).
//!
//! KoalaBear values here are plain [`Var`]s holding canonical integers; packing up to 8 of them
//! into one Pallas element, `Σ v_i · 2^(31 i)`, is one linear combination.
//!
//! # Cost
//!
//! Per operation, as [`Ctx::stats`] counts them on a tape laid out with 16-bit lookups (test
//! `hash::tests::costs`, which asserts the permutation counts; `cargo test -p geode-wrap --lib
//! hash::tests::costs -- --nocapture` prints the rest). In the layout a permutation is
//! `PERM_ROWS` (37) rows of one of the lanes (7 or 9, run in lockstep), gate rows are spread
//! over the lanes, and lookups over the `RANGE_LANES` (3) range lanes.
//!
//! | operation | permutations | gate rows | 16-bit lookups |
//! |---|---|---|---|
//! | observe a KoalaBear value | 1/16 | 0.56 | 0 |
//! | observe a word | 1 | 2 | 0 |
//! | sample, in a run of samples | 1/6 | 2.8 | 12.3 |
//! | sample right after an observation | 1 | 6 | 23 |
//! | sample an extension element, in a run | 2/3 | 11.3 | 49.3 |
//! | sample 20 bits, in a run | 1/6 | 31.8 | 8.3 |
//! | proof of work (16 bits) | 1 | 5 | 19 |
//! | leaf hash of `n` values | `⌈n / 16⌉` | about `n / 2` | 0 |
//! | Merkle level (plus a compression and a leaf hash where shorter matrices are injected) | 1 | 3 | 0 |
//!
//! The parts: a step is one permutation and a linear combination per absorbed cell (one row
//! per two values); the first limb read from a rate element costs its decomposition, 2 gate
//! rows and 16 lookups (`64 + 64 + 64 + 62` bits); a KoalaBear sample then costs 2 gate rows
//! and 7 lookups (a 34-bit quotient, the 31-bit remainder and its 31-bit complement);
//! `sample_bits(b)` costs `b` boolean rows, the `b`-term recomposition and `⌈(64 − b)/16⌉`
//! lookups; a proof of work `⌈(64 − b)/16⌉` lookups and 2 rows after its step.
//!
//! [`Ctx::stats`]: crate::ctx::Ctx::stats

mod merkle;
mod sponge;
#[cfg(test)]
mod tests;

pub use self::merkle::{compress, hash_row, verify_batch};
pub use self::sponge::{SampledBits, Sponge};
use crate::ctx::{Fp, Var};

/// The terms of `pack(values) = Σ values[i] · 2^(31 i)` (at most 8 values).
pub(crate) fn pack_terms(values: &[Var]) -> Vec<(Fp, Var)> {
    debug_assert!(values.len() <= geode_stark::config::wrap::poseidon::VALUES_PER_CELL);
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (sponge::pow2(sponge::VALUE_BITS * i as u32), v))
        .collect()
}
