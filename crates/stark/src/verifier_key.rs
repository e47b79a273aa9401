//! What a verifier derives from a proof's shape alone, kept so that checking many proofs of one
//! shape derives it once.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};

use p3_batch_stark::{CommonData, verify_batch};

use crate::config::{GeodeConfig, Val};
use crate::error::StarkError;
use crate::proof::StarkProofOf;
use crate::prove::{MAX_LOG_HEIGHT, StarkAir, check_heights, check_proof, prover_data};

/// The verifier's data for one shape (chips, in order, at given log heights): the commitment to
/// the chips' fixed tables and the layout of their lookups. It depends on the chips and heights
/// only, never on a proof's contents. Deriving it commits to the fixed tables (the 2^16-row byte
/// table among them), which costs about as much as the rest of a check.
pub struct VerifierKey<SC: GeodeConfig> {
    chips: Vec<String>,
    log_heights: Vec<usize>,
    common: CommonData<SC>,
}

impl<SC: GeodeConfig> std::fmt::Debug for VerifierKey<SC> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifierKey")
            .field("chips", &self.chips)
            .field("log_heights", &self.log_heights)
            .finish_non_exhaustive()
    }
}

impl<SC: GeodeConfig> VerifierKey<SC> {
    /// The key for `airs` at `log_heights`.
    ///
    /// # Errors
    /// [`StarkError::BadShape`] if the counts differ, or a height is out of range or unlike a
    /// chip's fixed table (checked before Plonky3 could assert on it).
    pub fn new<A: StarkAir<SC>>(
        config: &SC,
        airs: &[A],
        log_heights: &[usize],
    ) -> Result<Self, StarkError> {
        if airs.len() != log_heights.len() || airs.is_empty() {
            return Err(StarkError::BadShape(format!(
                "{} chips, {} heights",
                airs.len(),
                log_heights.len()
            )));
        }
        check_heights(airs, log_heights, MAX_LOG_HEIGHT)?;
        let outcome = catch_unwind(AssertUnwindSafe(|| prover_data(config, airs, log_heights)));
        let data = outcome
            .map_err(|_| StarkError::BadShape("Plonky3 rejected the shape".into()))?
            .map_err(|e| StarkError::BadShape(e.to_string()))?;
        Ok(Self {
            chips: airs.iter().map(|a| a.name().to_owned()).collect(),
            log_heights: log_heights.to_vec(),
            common: data.common,
        })
    }

    /// Whether `proof` has this key's shape.
    pub fn fits(&self, proof: &StarkProofOf<SC>) -> bool {
        proof.chips == self.chips && proof.inner.degree_bits == self.log_heights
    }
}

/// [`crate::verify`] with the shape's key derived beforehand.
///
/// # Errors
/// [`StarkError::BadShape`] (including a proof of another shape than `key`'s) or
/// [`StarkError::Rejected`].
pub fn verify_with_key<SC: GeodeConfig, A: StarkAir<SC>>(
    config: &SC,
    airs: &[A],
    key: &VerifierKey<SC>,
    proof: &StarkProofOf<SC>,
    public_values: &[Vec<Val>],
) -> Result<(), StarkError> {
    check_proof(airs, proof, public_values)?;
    // The key's heights were checked when it was made.
    if !key.fits(proof) {
        return Err(StarkError::BadShape(format!(
            "the proof's chips {:?} at log heights {:?} are not the key's",
            proof.chips, proof.inner.degree_bits
        )));
    }
    // Plonky3's verifier asserts on some malformed inputs; a hostile proof must yield an error.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        verify_batch(config, airs, &proof.inner, public_values, &key.common)
            .map_err(|e| StarkError::Rejected(format!("{e:?}")))
    }));
    outcome.unwrap_or_else(|_| {
        Err(StarkError::Rejected(
            "verifier rejected a malformed proof".into(),
        ))
    })
}

/// The key of the last shape verified, shared by clones: a verifier that checks proof after
/// proof of one program mostly sees one shape.
pub struct KeyCache<SC: GeodeConfig>(Arc<Mutex<Option<Arc<VerifierKey<SC>>>>>);

impl<SC: GeodeConfig> KeyCache<SC> {
    /// An empty cache.
    pub fn new() -> Self {
        Self(Arc::new(Mutex::new(None)))
    }

    /// The key for `proof`'s shape over `airs`: the cached one if it fits, else a new one, which
    /// replaces it.
    ///
    /// # Errors
    /// As [`VerifierKey::new`].
    pub fn key_for<A: StarkAir<SC>>(
        &self,
        config: &SC,
        airs: &[A],
        proof: &StarkProofOf<SC>,
    ) -> Result<Arc<VerifierKey<SC>>, StarkError> {
        let cached = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(key) = cached.filter(|key| key.fits(proof)) {
            return Ok(key);
        }
        let key = Arc::new(VerifierKey::new(config, airs, &proof.inner.degree_bits)?);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&key));
        Ok(key)
    }
}

impl<SC: GeodeConfig> Default for KeyCache<SC> {
    fn default() -> Self {
        Self::new()
    }
}

impl<SC: GeodeConfig> Clone for KeyCache<SC> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<SC: GeodeConfig> std::fmt::Debug for KeyCache<SC> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_tuple("KeyCache").field(&*cached).finish()
    }
}
