//! The serialized STARK proof.

use p3_batch_stark::BatchProof;
use serde::{Deserialize, Serialize};

use p3_uni_stark::StarkGenericConfig;

use crate::config::FastConfig;
use crate::error::StarkError;

/// Format version written into every proof; bumped on any change to the encoding or to what a
/// proof means.
///
/// Version 2: the keccak chips, exclusive CPU interactions and the `lui x0` fix changed the
/// constraint system, so version-1 proofs mean something else. Version 3: FRI folds by up to 8
/// (`max_log_arity` 3), so a version-2 proof's folding rounds no longer line up. Version 4: the
/// one `exec` bus, the packed Program flags and the 59-column CPU (2026-12-07) changed the
/// RISC-V machine's constraint system again.
pub const PROOF_VERSION: u32 = 4;

/// Upper bound on accepted proof sizes, so hostile input cannot make the decoder allocate
/// without limit.
pub const MAX_PROOF_BYTES: usize = 64 << 20;

/// A proof under the fast configuration.
pub type StarkProof = StarkProofOf<FastConfig>;

/// A batch STARK proof of several chips under configuration `SC`, with the names of the chips
/// it covers (in instance order) so the verifier can check the set is allowed.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct StarkProofOf<SC: StarkGenericConfig> {
    /// [`PROOF_VERSION`] when written.
    pub version: u32,
    /// The chips proven, in instance order.
    pub chips: Vec<String>,
    /// The Plonky3 batch proof.
    pub inner: BatchProof<SC>,
}

impl<SC: StarkGenericConfig> std::fmt::Debug for StarkProofOf<SC> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StarkProof")
            .field("version", &self.version)
            .field("chips", &self.chips)
            .field("degree_bits", &self.inner.degree_bits)
            .finish_non_exhaustive()
    }
}

impl<SC: StarkGenericConfig> StarkProofOf<SC> {
    /// log2 of each instance's trace height, in instance order.
    pub fn log_heights(&self) -> &[usize] {
        &self.inner.degree_bits
    }

    /// The proof as bytes.
    ///
    /// # Errors
    /// If serialization fails (it does not for well-formed proofs).
    pub fn to_bytes(&self) -> Result<Vec<u8>, StarkError> {
        postcard::to_allocvec(self).map_err(|e| StarkError::MalformedProof(e.to_string()))
    }

    /// Decodes a proof, checking its version and that `bytes` is the proof's canonical encoding
    /// (what [`StarkProofOf::to_bytes`] writes). Never panics on hostile bytes.
    ///
    /// # Errors
    /// [`StarkError::MalformedProof`] or [`StarkError::UnsupportedVersion`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StarkError> {
        if bytes.len() > MAX_PROOF_BYTES {
            return Err(StarkError::MalformedProof(format!(
                "{} bytes is too large",
                bytes.len()
            )));
        }
        // The version comes first, so an old or future proof is named as such rather than as
        // garbage.
        let (version, _) = postcard::take_from_bytes::<u32>(bytes)
            .map_err(|e| StarkError::MalformedProof(e.to_string()))?;
        if version != PROOF_VERSION {
            return Err(StarkError::UnsupportedVersion {
                found: version,
                supported: PROOF_VERSION,
            });
        }
        let (proof, rest) = postcard::take_from_bytes::<Self>(bytes)
            .map_err(|e| StarkError::MalformedProof(e.to_string()))?;
        if !rest.is_empty() {
            return Err(StarkError::MalformedProof(format!(
                "{} trailing bytes",
                rest.len()
            )));
        }
        // postcard reads integers (the version, lengths, heights) as LEB128 and accepts
        // redundant groups (`0x82 0x00` is 2), so one proof would have many encodings. Only the
        // one `to_bytes` writes is accepted: a proof's bytes identify it.
        if proof.to_bytes()? != bytes {
            return Err(StarkError::MalformedProof(
                "non-canonical encoding (an overlong integer)".into(),
            ));
        }
        Ok(proof)
    }
}

impl StarkProof {
    /// Where the proof's bytes go, part by part (postcard sizes; the parts sum to about the
    /// whole, less a few bytes of lengths): for `bench prove` and size work.
    ///
    /// # Errors
    /// If serialization fails (it does not for well-formed proofs).
    pub fn size_breakdown(&self) -> Result<Vec<(String, usize)>, StarkError> {
        fn size<T: Serialize + ?Sized>(value: &T) -> Result<usize, StarkError> {
            postcard::to_allocvec(value)
                .map(|bytes| bytes.len())
                .map_err(|e| StarkError::MalformedProof(e.to_string()))
        }
        let inner = &self.inner;
        let fri = &inner.opening_proof;
        let mut parts = vec![
            ("commitments".to_owned(), size(&inner.commitments)?),
            (
                "out-of-domain values".to_owned(),
                size(&inner.opened_values)?,
            ),
        ];
        for (batch, opening) in fri.input_openings.iter().enumerate() {
            parts.push((
                format!("batch {batch}: opened rows"),
                size(&opening.opened_values)?,
            ));
            parts.push((
                format!("batch {batch}: Merkle paths"),
                size(&opening.opening_proof)?,
            ));
        }
        let (mut siblings, mut paths) = (0, 0);
        for round in &fri.commit_phase_openings {
            siblings += size(&round.sibling_values)?;
            paths += size(&round.opening_proof)?;
        }
        parts.push((
            format!(
                "FRI folds ({}): sibling values",
                fri.commit_phase_openings.len()
            ),
            siblings,
        ));
        parts.push(("FRI folds: Merkle paths".to_owned(), paths));
        parts.push(("FRI final polynomial".to_owned(), size(&fri.final_poly)?));
        Ok(parts)
    }
}
