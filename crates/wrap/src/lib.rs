//! Geode's Halo2 wrapper: a `halo2_proofs` circuit (IPA over the Pasta curves, so no trusted
//! setup) that verifies a STARK proven under the wrap configuration
//! ([`geode_stark::config::wrap`]), and the keys, proofs and checks around it.
//!
//! The circuit is written against [`ctx::Ctx`], a flat circuit builder that computes every value
//! as it goes and records the constraints; the verifier stages are ordinary Rust over it, so the
//! same code is the witness generator and the constraint system (`docs/wrap.md`).

pub mod ctx;
mod error;
pub mod field;
pub mod hash;
pub mod snark;
#[cfg(test)]
mod test_rng;
pub mod testing;
pub mod verifier;
mod wrapper;

pub use error::WrapError;
pub use snark::SnarkProof;
pub use wrapper::{WrapKeys, WrapVerifier, Wrapper};
