//! [`PublicValues`]: what the guest committed, read back as typed values; [`ExecutionReport`].

use geode_executor::{PublicValuesReader, keccak256};
use serde::de::DeserializeOwned;

use crate::error::SdkError;

/// The bytes a guest committed (`geode_guest::io::commit` and `commit_slice`), in order, with a
/// read cursor. [`PublicValues::read`] decodes the next value the way the guest's `commit`
/// encoded it (postcard), so the host reads values back in the order they were committed:
///
/// ```
/// # use geode_sdk::PublicValues;
/// // A guest that ran `io::commit(&7u32); io::commit(&"seven");` committed these bytes.
/// let mut values = PublicValues::from_bytes(vec![7, 5, b's', b'e', b'v', b'e', b'n']);
/// assert_eq!(values.read::<u32>()?, 7);
/// assert_eq!(values.read::<String>()?, "seven");
/// assert!(values.remaining().is_empty());
/// # Ok::<(), geode_sdk::SdkError>(())
/// ```
///
/// Equality compares the bytes, not the cursor.
#[derive(Clone, Debug, Default)]
pub struct PublicValues {
    bytes: Vec<u8>,
    cursor: usize,
}

impl PartialEq for PublicValues {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for PublicValues {}

impl PublicValues {
    /// Public values holding `bytes`, with the cursor at the start.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self { bytes, cursor: 0 }
    }

    /// Every committed byte, whatever has been read.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> &[u8] {
        &self.bytes[self.cursor..]
    }

    /// Decodes the next value committed with `io::commit` and moves past it.
    ///
    /// # Errors
    /// [`SdkError::Codec`] if the next bytes are not a postcard `T` (wrong type or order, or no
    /// value left); the cursor does not move then.
    pub fn read<T: DeserializeOwned>(&mut self) -> Result<T, SdkError> {
        let mut reader = PublicValuesReader::new(self.remaining());
        let value = reader.read()?;
        self.cursor = self.bytes.len() - reader.remaining().len();
        Ok(value)
    }

    /// The next `n` bytes as they are (committed with `io::commit_slice`).
    ///
    /// # Errors
    /// [`SdkError::PublicValuesExhausted`] if fewer are left; the cursor does not move then.
    pub fn read_slice(&mut self, n: usize) -> Result<&[u8], SdkError> {
        let left = self.bytes.len() - self.cursor;
        if n > left {
            return Err(SdkError::PublicValuesExhausted { wanted: n, left });
        }
        let start = self.cursor;
        self.cursor += n;
        Ok(&self.bytes[start..self.cursor])
    }

    /// Moves the cursor back to the first byte.
    pub fn rewind(&mut self) {
        self.cursor = 0;
    }

    /// keccak256 of every committed byte: the output digest the proof binds.
    pub fn digest(&self) -> [u8; 32] {
        keccak256(&self.bytes)
    }

    /// The bytes, consuming the values.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// What a run did, besides its public values.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutionReport {
    /// The guest's exit code: 0 when `main` returns, the code given to `geode_guest::exit`,
    /// 101 after a panic.
    pub exit_code: u32,
    /// Instructions executed, the final `ecall` included.
    pub cycles: u64,
    /// What the guest printed to stdout (`print!`, `println!`); not proven.
    pub stdout: Vec<u8>,
    /// What the guest printed to stderr (`eprint!`, panic messages); not proven.
    pub stderr: Vec<u8>,
    /// Whether the digest the guest handed HALT is keccak256 of its public values, as every
    /// guest that commits through `geode_guest::io` does. A run where it is not cannot be
    /// proven.
    pub output_digest_matches: bool,
}
