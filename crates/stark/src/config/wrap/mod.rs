//! The wrap configuration: the same chips, proven with Merkle trees and a transcript built on
//! Poseidon over the Pallas base field (`halo2_poseidon`'s `P128Pow5T3`, the permutation the
//! `halo2_gadgets` Pow5 chip proves), and FRI parameters that keep a Halo2 verifier circuit
//! small: rate 1/8 and 30 queries instead of rate 1/2 and 100.
//!
//! Everything a circuit has to replay is fixed here and in `docs/wrap.md`: the packing of
//! KoalaBear values into Pallas elements ([`poseidon::pack`]), the leaf hash
//! ([`poseidon::hash_values`]), the compression ([`poseidon::compress`]) and the transcript
//! ([`WrapChallenger`]).

mod challenger;
pub mod poseidon;

use p3_commit::ExtensionMmcs;
use p3_field::TwoAdicField;
use p3_fri::TwoAdicFriPcs;
use p3_merkle_tree::MerkleTreeMmcs;
use p3_uni_stark::StarkConfig;

pub use self::challenger::{DIGEST_TAG, LIMBS_PER_STEP, SQUEEZE_TAG, WrapChallenger};
pub use self::poseidon::{PallasWord, WrapCompress, WrapHash};
use super::{Challenge, Dft, FastParams, Val};

type ValMmcs = MerkleTreeMmcs<Val, PallasWord, WrapHash, WrapCompress, 2, 1>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
type Pcs = TwoAdicFriPcs<Val, Dft, ValMmcs, ChallengeMmcs>;

/// The wrap STARK configuration. Its proofs are `StarkProofOf<WrapConfig>`.
pub type WrapConfig = StarkConfig<Pcs, Challenge, WrapChallenger>;

/// The wrap configuration's parameters: rate 1/8, 30 queries, binary folding down to a
/// constant, and the fast configuration's grinding. The security estimate
/// ([`crate::security::estimate`]) gives the representative batch of `docs/security.md` at least
/// 100 conjectured bits (test `wrap_params_give_at_least_100_conjectured_bits`).
pub const PARAMS: FastParams = FastParams {
    log_blowup: 3,
    num_queries: 30,
    // The circuit folds in twos down to a constant (`geode-wrap` rejects anything else).
    log_final_poly_len: 0,
    max_log_arity: 1,
    ..FastParams::DEFAULT
};

/// The tallest trace the wrap configuration can prove: its low-degree extension,
/// `2^(log_height + log_blowup)` rows, must fit KoalaBear's two-adic subgroup (`2^24`).
pub const MAX_LOG_HEIGHT: usize = Val::TWO_ADICITY - PARAMS.log_blowup;

/// The wrap configuration with `params` (normally [`PARAMS`]).
pub fn config(params: &FastParams) -> WrapConfig {
    let val_mmcs = ValMmcs::new(WrapHash, WrapCompress, 0);
    let fri = params.fri(ChallengeMmcs::new(val_mmcs));
    StarkConfig::new(
        Pcs::new(Dft::default(), val_mmcs, fri),
        WrapChallenger::new(),
    )
    .with_lookup_proof_of_work_bits(params.lookup_pow_bits)
    .with_ood_proof_of_work_bits(params.ood_pow_bits)
}
