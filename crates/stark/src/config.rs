//! The fast proving configuration: KoalaBear, its degree-4 extension, Poseidon2-16 Merkle trees
//! and transcript, FRI with rate 1/2.
//!
//! Everything that sets the security level is in [`FastParams`], so the security estimate is
//! computed from the very numbers the prover uses.

use p3_challenger::DuplexChallenger;
use p3_challenger::GrindingChallenger;
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::Field;
use p3_field::coset::TwoAdicMultiplicativeCoset;
use p3_field::extension::BinomialExtensionField;
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_koala_bear::{KoalaBear, Poseidon2KoalaBear, default_koalabear_poseidon2_16};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{PaddingFreeSponge, TruncatedPermutation};
use p3_uni_stark::{StarkConfig, StarkGenericConfig};

/// The base field.
pub type Val = KoalaBear;
/// The challenge field: the degree-4 binomial extension of KoalaBear.
pub type Challenge = BinomialExtensionField<Val, 4>;
/// Poseidon2 over KoalaBear, width 16, with the standard constants.
pub type Perm = Poseidon2KoalaBear<16>;
type Hash = PaddingFreeSponge<Perm, 16, 8, 8>;
type Compress = TruncatedPermutation<Perm, 2, 8, 16>;
type ValMmcs =
    MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, Hash, Compress, 2, 8>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
type Challenger = DuplexChallenger<Val, Perm, 16, 8>;
type Dft = Radix2DitParallel<Val>;
type Pcs = TwoAdicFriPcs<Val, Dft, ValMmcs, ChallengeMmcs>;

/// The fast STARK configuration.
pub type FastConfig = StarkConfig<Pcs, Challenge, Challenger>;

/// A configuration the chips can be proven under: traces over KoalaBear on its two-adic cosets,
/// challenges in [`Challenge`], and whatever hash, Merkle tree and transcript the configuration
/// picks (the fast configuration's Poseidon2, or the wrap configuration's). Blanket-implemented.
pub trait GeodeConfig:
    StarkGenericConfig<
        Challenge = Challenge,
        Pcs: p3_commit::Pcs<
            Challenge,
            Self::Challenger,
            Domain = TwoAdicMultiplicativeCoset<Val>,
            ProverData: Sync,
            Commitment: Sync,
            ProverError: Send,
        > + Sync,
        Challenger: GrindingChallenger<Witness = Val>,
    > + Sync
{
}

impl<T> GeodeConfig for T where
    T: StarkGenericConfig<
            Challenge = Challenge,
            Pcs: p3_commit::Pcs<
                Challenge,
                Self::Challenger,
                Domain = TwoAdicMultiplicativeCoset<Val>,
                ProverData: Sync,
                Commitment: Sync,
                ProverError: Send,
            > + Sync,
            Challenger: GrindingChallenger<Witness = Val>,
        > + Sync
{
}

/// The parameters that set the fast configuration's security level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FastParams {
    /// log2 of the FRI blowup (rate 2^-log_blowup).
    pub log_blowup: usize,
    /// FRI queries.
    pub num_queries: usize,
    /// Grinding before the FRI queries.
    pub query_pow_bits: usize,
    /// Grinding before each FRI commit-phase challenge.
    pub commit_pow_bits: usize,
    /// Grinding before the batching challenge of the openings.
    pub batch_pow_bits: usize,
    /// Grinding before the LogUp challenges.
    pub lookup_pow_bits: usize,
    /// Grinding before the out-of-domain point is sampled. The DEEP-ALI round's error grows
    /// with the summed trace heights and no query count lowers it; without this the batch
    /// estimate sits just under 100 bits (see docs/security.md).
    pub ood_pow_bits: usize,
    /// log2 of the final FRI polynomial's length.
    pub log_final_poly_len: usize,
    /// log2 of the largest FRI folding arity.
    pub max_log_arity: usize,
}

impl FastParams {
    /// The design's parameters (rate 1/2, 100 queries, 16 bits of query grinding, grinding
    /// before the LogUp challenges) plus grinding before `zeta` and each FRI folding challenge,
    /// which the security estimate needs to stay above 100 bits (docs/security.md). FRI folds
    /// by up to 8 at a time: fewer rounds, so fewer Merkle paths to send and check, at the same
    /// estimate.
    pub const DEFAULT: Self = Self {
        log_blowup: 1,
        num_queries: 100,
        query_pow_bits: 16,
        commit_pow_bits: 8,
        batch_pow_bits: 16,
        lookup_pow_bits: 16,
        ood_pow_bits: 16,
        log_final_poly_len: 0,
        max_log_arity: 3,
    };

    /// The FRI parameters, over the challenge-field Merkle tree `mmcs`.
    pub fn fri<M>(&self, mmcs: M) -> FriParameters<M> {
        FriParameters {
            log_blowup: self.log_blowup,
            log_final_poly_len: self.log_final_poly_len,
            max_log_arity: self.max_log_arity,
            num_queries: self.num_queries,
            batch_proof_of_work_bits: self.batch_pow_bits,
            commit_proof_of_work_bits: self.commit_pow_bits,
            query_proof_of_work_bits: self.query_pow_bits,
            mmcs,
        }
    }

    /// The STARK configuration with these parameters.
    pub fn config(&self) -> FastConfig {
        let perm = default_koalabear_poseidon2_16();
        let hash = Hash::new(perm.clone());
        let compress = Compress::new(perm.clone());
        let val_mmcs = ValMmcs::new(hash, compress, 0);
        let fri = self.fri(ChallengeMmcs::new(val_mmcs.clone()));
        let pcs = Pcs::new(Dft::default(), val_mmcs, fri);
        StarkConfig::new(pcs, Challenger::new(perm))
            .with_lookup_proof_of_work_bits(self.lookup_pow_bits)
            .with_ood_proof_of_work_bits(self.ood_pow_bits)
    }
}

impl Default for FastParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

pub mod wrap;

/// A second configuration, for tests that the prover, the verifier and every chip are generic
/// over the configuration (as the wrap configuration needs): Poseidon2 of width 24 (rate 16)
/// for the Merkle trees and the transcript, otherwise the fast configuration's parameters.
pub mod wide {
    use super::{Challenge, Dft, FastParams, Val};
    use p3_challenger::DuplexChallenger;
    use p3_commit::ExtensionMmcs;
    use p3_field::Field;
    use p3_fri::TwoAdicFriPcs;
    use p3_koala_bear::{Poseidon2KoalaBear, default_koalabear_poseidon2_24};
    use p3_merkle_tree::MerkleTreeMmcs;
    use p3_symmetric::{PaddingFreeSponge, TruncatedPermutation};
    use p3_uni_stark::StarkConfig;

    type Perm = Poseidon2KoalaBear<24>;
    type Hash = PaddingFreeSponge<Perm, 24, 16, 8>;
    type Compress = TruncatedPermutation<Perm, 2, 8, 24>;
    type ValMmcs =
        MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, Hash, Compress, 2, 8>;
    type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
    type Challenger = DuplexChallenger<Val, Perm, 24, 16>;
    type Pcs = TwoAdicFriPcs<Val, Dft, ValMmcs, ChallengeMmcs>;

    /// The width-24 configuration.
    pub type WideConfig = StarkConfig<Pcs, Challenge, Challenger>;

    /// The width-24 configuration with `params`.
    pub fn config(params: &FastParams) -> WideConfig {
        let perm = default_koalabear_poseidon2_24();
        let val_mmcs = ValMmcs::new(Hash::new(perm.clone()), Compress::new(perm.clone()), 0);
        let fri = params.fri(ChallengeMmcs::new(val_mmcs.clone()));
        StarkConfig::new(
            Pcs::new(Dft::default(), val_mmcs, fri),
            Challenger::new(perm),
        )
        .with_lookup_proof_of_work_bits(params.lookup_pow_bits)
        .with_ood_proof_of_work_bits(params.ood_pow_bits)
    }
}
