//! [`SdkError`]: everything that can go wrong through the SDK, as one enum.

use std::io;
use std::path::PathBuf;

use geode_executor::{CodecError, ElfError, ExecError};
use geode_machine::MachineError;

use crate::keys::VkDigest;

/// Why an SDK call failed. Hostile input (ELFs, proof files, public values) ends here, never in
/// a panic.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError {
    /// The ELF does not load as an RV32IM program that follows the ABI.
    #[error("invalid guest ELF: {0}")]
    Elf(#[from] ElfError),
    /// The guest faulted or hit a limit (cycles, output) while running.
    #[error("guest execution failed: {0}")]
    Execution(#[from] ExecError),
    /// The run is longer than one proof covers.
    #[error(
        "the run takes more than {max} cycles, the most one proof covers; split the work or \
         execute it without proving"
    )]
    TooLongToProve {
        /// The most cycles one proof covers.
        max: u64,
    },
    /// Writing an input value or reading a public value failed (postcard).
    #[error("encoding or decoding a value: {0}")]
    Codec(#[from] CodecError),
    /// Fewer committed bytes are left than a read asked for.
    #[error("the public values hold {left} more bytes, not the {wanted} asked for")]
    PublicValuesExhausted {
        /// Bytes asked for.
        wanted: usize,
        /// Bytes left.
        left: usize,
    },
    /// The guest handed HALT a digest other than keccak256 of what it committed (it called the
    /// COMMIT syscall directly instead of through `geode_guest::io`), so no proof of the run
    /// could verify.
    #[error(
        "the guest's output digest is not keccak256 of its committed bytes; commit through \
         geode_guest::io, never the raw COMMIT syscall"
    )]
    OutputDigestMismatch,
    /// Proving failed (a run the chips cannot prove, or a prover error).
    #[error("proving failed: {0}")]
    Proving(#[source] MachineError),
    /// The proof does not verify against the verifying key and its claimed public values.
    #[error("invalid proof: {0}")]
    InvalidProof(#[source] MachineError),
    /// Wrapping the STARK into a SNARK failed (a halo2 failure, or a shape the wrapper does
    /// not support).
    #[error("wrapping failed: {0}")]
    Wrapping(#[source] geode_wrap::WrapError),
    /// The wrapped proof does not verify against the verifying key and its claimed values.
    #[error("invalid wrapped proof: {0}")]
    InvalidSnark(#[source] geode_wrap::WrapError),
    /// The proof is a mock proof, which proves nothing and never verifies.
    #[error(
        "this is a mock proof (made with .mock()): it carries the public values but proves \
         nothing, and never verifies; prove with .stark() for a real proof"
    )]
    MockProof,
    /// The proof is for another program than the verifying key's.
    #[error("the proof is for the program with verifying key {found}, not {expected}")]
    VkMismatch {
        /// The verifying key's digest.
        expected: VkDigest,
        /// The digest the proof names.
        found: VkDigest,
    },
    /// A feature this build does not have yet.
    #[error("not supported: {0}")]
    Unsupported(&'static str),
    /// The bytes do not start with the proof envelope's magic.
    #[error("not a Geode proof: the bytes do not start with the magic {expected:?}")]
    BadMagic {
        /// The magic every envelope starts with.
        expected: &'static [u8],
    },
    /// The envelope has a format version this build cannot read.
    #[error(
        "proof envelope format version {found} is not supported (this build reads version \
         {supported})"
    )]
    UnsupportedVersion {
        /// Version in the proof.
        found: u32,
        /// Version this build reads and writes.
        supported: u32,
    },
    /// The envelope names a proof system this build does not know.
    #[error("unknown proof backend id {0} (this build knows 0 = mock, 1 = stark and 2 = halo2)")]
    UnknownBackend(u8),
    /// The proof bytes do not decode.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// Reading or writing a proof file failed.
    #[error("I/O error on {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
}
