//! The wrapper's one error type.

/// Why wrapping or verifying a SNARK failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WrapError {
    /// Halo2 failed to synthesize, prove or verify.
    #[error("halo2: {0}")]
    Halo2(String),
    /// The STARK proof fails a check of the native verifier stages.
    #[error("the STARK proof is rejected: {0}")]
    Rejected(String),
    /// The SNARK does not prove the claimed statement: its verification failed, or it was
    /// made for other public inputs or another `k`.
    #[error("the SNARK is rejected: {0}")]
    SnarkRejected(String),
    /// Bytes that are not a proof.
    #[error("malformed proof: {0}")]
    Malformed(String),
    /// The chips and heights do not make a provable batch.
    #[error("bad shape: {0}")]
    Shape(String),
}
