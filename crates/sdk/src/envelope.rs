//! [`GeodeProof`]: the versioned proof envelope every backend's proof travels in.
//!
//! Layout of [`GeodeProof::to_bytes`]:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | [`PROOF_MAGIC`], `GEODEPRF` |
//! | 4 | envelope format version, little-endian `u32` ([`ENVELOPE_VERSION`]) |
//! | 1 | [`BackendId`] |
//! | rest | postcard: exit code (`u32`), verifying-key digest (32 bytes), public values (length-prefixed bytes), backend payload (length-prefixed bytes) |
//!
//! A reader checks the magic, then the version, then the backend, before it decodes the rest, so
//! an old or future proof and one from an unknown backend are named as such rather than as
//! garbage. The payload has its own format (for the STARK, [`geode_stark::StarkProof`]'s, which
//! carries its own version).

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::SdkError;
use crate::keys::VkDigest;
use crate::public_values::PublicValues;

/// The first bytes of every serialized proof.
pub const PROOF_MAGIC: &[u8; 8] = b"GEODEPRF";

/// The envelope format this build writes and reads; bumped on any change to the layout above.
pub const ENVELOPE_VERSION: u32 = 1;

/// Upper bound on a serialized proof: the largest STARK proof plus the largest public output a
/// run may commit, and room for the header. Bounds what hostile input can make a reader allocate.
pub const MAX_ENVELOPE_BYTES: usize =
    geode_stark::MAX_PROOF_BYTES + geode_executor::DEFAULT_MAX_OUTPUT_BYTES + 4096;

/// Bytes before the postcard body: magic, version, backend id.
const HEADER_BYTES: usize = PROOF_MAGIC.len() + 4 + 1;

/// Which proof system made a proof; verification dispatches on it.
///
/// Ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum BackendId {
    /// [`crate::MockBackend`]: executed, not proven; never verifies.
    Mock = 0,
    /// [`crate::StarkBackend`]: the Plonky3 STARK.
    Stark = 1,
    /// [`crate::WrapBackend`]: the STARK (wrap configuration) inside a Halo2 SNARK.
    Halo2 = 2,
}

impl BackendId {
    /// The id's byte in the envelope.
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// The backend with id `byte`.
    ///
    /// # Errors
    /// [`SdkError::UnknownBackend`] for an id this build does not know.
    pub fn from_u8(byte: u8) -> Result<Self, SdkError> {
        match byte {
            0 => Ok(Self::Mock),
            1 => Ok(Self::Stark),
            2 => Ok(Self::Halo2),
            other => Err(SdkError::UnknownBackend(other)),
        }
    }
}

impl fmt::Display for BackendId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Mock => "mock",
            Self::Stark => "stark",
            Self::Halo2 => "halo2",
        })
    }
}

/// A proof of one run of a program, in a backend-independent envelope: what the run claims (exit
/// code, public values), which program it is for (the verifying-key digest), which backend made
/// it, and the backend's proof bytes. Check it with [`crate::ProverClient::verify`]; nothing in
/// the envelope is trusted before that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeodeProof {
    /// Envelope format version ([`ENVELOPE_VERSION`] when made by this build).
    pub version: u32,
    /// The proof system that made `payload`.
    pub backend: BackendId,
    /// The exit code the run claims.
    pub exit_code: u32,
    /// The values the run claims the guest committed.
    pub public_values: PublicValues,
    /// The digest of the verifying key the proof was made with.
    pub vk_digest: VkDigest,
    /// The backend's proof.
    pub payload: Vec<u8>,
}

/// The envelope after its header, in postcard.
#[derive(Serialize, Deserialize)]
struct Body<'a> {
    exit_code: u32,
    vk_digest: [u8; 32],
    public_values: Cow<'a, [u8]>,
    payload: Cow<'a, [u8]>,
}

impl GeodeProof {
    /// The proof in the envelope format above.
    ///
    /// # Errors
    /// [`SdkError::MalformedProof`] if serialization fails (it does not for proofs this build
    /// makes).
    pub fn to_bytes(&self) -> Result<Vec<u8>, SdkError> {
        let body = Body {
            exit_code: self.exit_code,
            vk_digest: self.vk_digest.0,
            public_values: Cow::Borrowed(self.public_values.as_bytes()),
            payload: Cow::Borrowed(&self.payload),
        };
        let mut bytes = Vec::with_capacity(HEADER_BYTES + 64 + self.payload.len());
        bytes.extend_from_slice(PROOF_MAGIC);
        bytes.extend_from_slice(&self.version.to_le_bytes());
        bytes.push(self.backend.as_u8());
        postcard::to_extend(&body, bytes).map_err(|e| SdkError::MalformedProof(e.to_string()))
    }

    /// Decodes a proof written by [`GeodeProof::to_bytes`]. Never panics on hostile bytes.
    ///
    /// # Errors
    /// [`SdkError::BadMagic`], [`SdkError::UnsupportedVersion`], [`SdkError::UnknownBackend`]
    /// or [`SdkError::MalformedProof`] (truncated, oversized, undecodable, trailing bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SdkError> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(SdkError::MalformedProof(format!(
                "{} bytes is more than a proof can be ({MAX_ENVELOPE_BYTES})",
                bytes.len()
            )));
        }
        let magic_len = PROOF_MAGIC.len().min(bytes.len());
        if bytes[..magic_len] != PROOF_MAGIC[..magic_len] {
            return Err(SdkError::BadMagic {
                expected: PROOF_MAGIC,
            });
        }
        let Some((header, body)) = bytes.split_at_checked(HEADER_BYTES) else {
            return Err(SdkError::MalformedProof(format!(
                "truncated: {} bytes, shorter than the {HEADER_BYTES}-byte header",
                bytes.len()
            )));
        };
        let version_bytes: [u8; 4] = header[PROOF_MAGIC.len()..HEADER_BYTES - 1]
            .try_into()
            .map_err(|_| SdkError::MalformedProof("header".to_owned()))?;
        let version = u32::from_le_bytes(version_bytes);
        if version != ENVELOPE_VERSION {
            return Err(SdkError::UnsupportedVersion {
                found: version,
                supported: ENVELOPE_VERSION,
            });
        }
        let backend = BackendId::from_u8(header[HEADER_BYTES - 1])?;
        let (body, rest) = postcard::take_from_bytes::<Body<'_>>(body)
            .map_err(|e| SdkError::MalformedProof(format!("{backend} proof body: {e}")))?;
        if !rest.is_empty() {
            return Err(SdkError::MalformedProof(format!(
                "{} trailing bytes after the proof",
                rest.len()
            )));
        }
        Ok(Self {
            version,
            backend,
            exit_code: body.exit_code,
            public_values: PublicValues::from_bytes(body.public_values.into_owned()),
            vk_digest: VkDigest(body.vk_digest),
            payload: body.payload.into_owned(),
        })
    }

    /// Writes the proof to `path` (see [`GeodeProof::to_bytes`]).
    ///
    /// # Errors
    /// [`SdkError::Io`] if the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), SdkError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()?).map_err(|source| SdkError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a proof written by [`GeodeProof::save`], reading at most [`MAX_ENVELOPE_BYTES`] + 1
    /// bytes of the file.
    ///
    /// # Errors
    /// [`SdkError::Io`] if the file cannot be read, and the errors of
    /// [`GeodeProof::from_bytes`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SdkError> {
        let path = path.as_ref();
        let io_error = |source| SdkError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut bytes = Vec::new();
        File::open(path)
            .map_err(io_error)?
            .take(MAX_ENVELOPE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
        Self::from_bytes(&bytes)
    }
}
