//! Geode's STARK layer: the Plonky3 configurations, the chip and bus abstractions, proving and
//! verifying over `p3-batch-stark`, and a debug checker. Knows nothing about RISC-V.

pub mod chip;
pub mod columns;
pub mod config;
pub mod debug;
mod error;
mod proof;
mod prove;
pub mod reference;
pub mod security;
mod verifier_key;

pub use chip::{Bus, Chip};
pub use config::wrap::WrapConfig;
pub use config::{Challenge, FastConfig, FastParams, GeodeConfig, Val};
pub use error::StarkError;
pub use proof::{MAX_PROOF_BYTES, PROOF_VERSION, StarkProof, StarkProofOf};
pub use prove::{
    MAX_LOG_HEIGHT, StarkAir, check_heights, prove, prove_owned, prover_data, security_of, verify,
};
pub use verifier_key::{KeyCache, VerifierKey, verify_with_key};

pub use security::{InstanceShape, SecurityReport, estimate, shape_of};
