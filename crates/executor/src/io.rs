//! Host-side input and output in the guest's formats.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The guest's input stream, built on the host. Each item is a frame: a little-endian `u32`
/// length and that many bytes (see `geode_platform::io`). The guest's `io::read::<T>()` reads a
/// frame written by [`Stdin::write`], and `io::read_vec()` one written by [`Stdin::write_slice`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stdin {
    bytes: Vec<u8>,
}

/// Why a host value could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// postcard failed.
    #[error("postcard: {0}")]
    Postcard(#[from] postcard::Error),
    /// A frame longer than `u32::MAX` bytes.
    #[error("input frame of {0} bytes is too long")]
    FrameTooLong(usize),
}

impl Stdin {
    /// An empty input stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `value`, serialized with postcard, as one frame.
    ///
    /// # Errors
    /// If serialization fails.
    pub fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<&mut Self, CodecError> {
        let encoded = postcard::to_allocvec(value)?;
        self.write_slice(&encoded)
    }

    /// Appends raw bytes as one frame.
    ///
    /// # Errors
    /// If `bytes` is longer than `u32::MAX`.
    pub fn write_slice(&mut self, bytes: &[u8]) -> Result<&mut Self, CodecError> {
        let len = u32::try_from(bytes.len()).map_err(|_| CodecError::FrameTooLong(bytes.len()))?;
        self.bytes.extend_from_slice(&len.to_le_bytes());
        self.bytes.extend_from_slice(bytes);
        Ok(self)
    }

    /// The whole stream as the guest sees it.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A stream from bytes already in the framed format.
    pub fn from_raw(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }
}

/// Reads values back from the public output in the order the guest committed them.
#[derive(Debug, Clone)]
pub struct PublicValuesReader<'a> {
    rest: &'a [u8],
}

impl<'a> PublicValuesReader<'a> {
    /// A reader over committed bytes.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// The next value committed with `io::commit`.
    ///
    /// # Errors
    /// If the bytes do not decode as `T`.
    pub fn read<T: DeserializeOwned>(&mut self) -> Result<T, CodecError> {
        let (value, rest) = postcard::take_from_bytes(self.rest)?;
        self.rest = rest;
        Ok(value)
    }

    /// The next `n` raw bytes (committed with `io::commit_slice`), or `None` if fewer are left.
    pub fn read_slice(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }
}
