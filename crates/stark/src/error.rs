//! The STARK layer's errors.

/// Why proving or verifying failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StarkError {
    /// The proof bytes do not decode.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// The proof has a format version this verifier does not know.
    #[error(
        "proof format version {found} is not supported (this verifier reads version {supported})"
    )]
    UnsupportedVersion {
        /// Version in the proof.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// The proof's shape does not fit the chips it claims (count, heights, chip set).
    #[error("proof shape rejected: {0}")]
    BadShape(String),
    /// The proof does not verify.
    #[error("proof rejected: {0}")]
    Rejected(String),
    /// The inputs to the prover are inconsistent (a bug in the caller).
    #[error("cannot prove: {0}")]
    Prover(String),
}
