//! Input, public output and host-side printing.
//!
//! **Input** is the host's stream of frames (see [`geode_platform::io`]): each frame is a
//! little-endian `u32` length followed by that many bytes. [`read_vec`] takes one frame;
//! [`read`] takes one frame holding a postcard-encoded value.
//!
//! **Output** is what the guest commits: [`commit`] appends a value's postcard encoding and
//! [`commit_slice`] appends raw bytes, with no framing (postcard is self-delimiting, so the host
//! reads committed values back in order with `postcard::take_from_bytes`). Every committed byte is
//! also absorbed into a running keccak256; the final digest is handed to `HALT` and becomes a
//! public value, so a verifier can check the output the host reports against the proof.
//!
//! **Printing** ([`print!`](crate::print), [`println!`](crate::println),
//! [`eprint!`](crate::eprint), [`eprintln!`](crate::eprintln)) goes to the host's stdout/stderr
//! through `WRITE`. It is not proven and does not touch the output.

use alloc::vec::Vec;
use core::fmt;

use geode_platform::{DIGEST_BYTES, io::FRAME_LEN_BYTES};
use serde::{Serialize, de::DeserializeOwned};

use crate::cell::GuestCell;
use crate::heap::MIN_ALIGN;
use crate::keccak::{self, Keccak256};
use crate::syscalls;

const _: () = assert!(
    FRAME_LEN_BYTES == size_of::<u32>(),
    "frame lengths are u32s"
);

/// The keccak256 of everything committed so far, and how many bytes that is.
///
/// Its permutations use the `KECCAK_PERMUTE` precompile (~185 cycles each, not ~16,500 of
/// software keccak), except one case: an output shorter than a block (one permutation in all) in
/// a run that never calls the precompile is hashed in software. The precompile's chips open
/// 2,800 columns at every FRI query whatever their height: about 1 MB of every STARK proof that
/// holds them, and most of the wrap circuit (docs/guest.md).
static OUTPUT_DIGEST: GuestCell<OutputDigest> = GuestCell::new(OutputDigest {
    hasher: Keccak256::new(),
    committed: 0,
});

#[derive(Default)]
struct OutputDigest {
    hasher: Keccak256,
    committed: usize,
}

/// The number of bytes left in the input stream (`HINT_LEN`), frame headers included.
pub fn input_len() -> usize {
    syscalls::hint_len()
}

/// Reads the next frame of the input stream.
///
/// # Panics
///
/// If the stream holds no complete frame.
#[track_caller]
pub fn read_vec() -> Vec<u8> {
    let left = input_len();
    assert!(
        left >= FRAME_LEN_BYTES,
        "io::read_vec: no frame left in the input ({left} bytes left)"
    );
    let mut len_word = 0_u32;
    // SAFETY: a `u32` is word aligned and exactly one word long.
    unsafe { syscalls::hint_read((&raw mut len_word).cast(), FRAME_LEN_BYTES) };
    // The host wrote the length's little-endian bytes; read them back as such.
    let len = u32::from_le_bytes(len_word.to_ne_bytes()) as usize;
    let left = input_len();
    assert!(
        len <= left,
        "io::read_vec: the next frame claims {len} bytes but the input has {left} left"
    );

    // Room for whole words, since HINT_READ may write the last word in full.
    let mut bytes: Vec<u8> = Vec::with_capacity(len.next_multiple_of(MIN_ALIGN));
    if len > 0 {
        assert!(
            bytes.as_ptr().addr().is_multiple_of(MIN_ALIGN),
            "the heap hands out word-aligned blocks"
        );
        // SAFETY: the buffer is word aligned (just checked) and has capacity for `len` bytes
        // rounded up to whole words.
        unsafe { syscalls::hint_read(bytes.as_mut_ptr(), len) };
        // SAFETY: HINT_READ has initialized the first `len` bytes, within the capacity.
        unsafe { bytes.set_len(len) };
    }
    bytes
}

/// Reads the next frame of the input stream and decodes it from postcard.
///
/// # Panics
///
/// If the stream holds no complete frame, or the frame is not exactly one postcard-encoded `T`
/// (which usually means that host and guest disagree on the type or the order of inputs).
#[track_caller]
pub fn read<T: DeserializeOwned>() -> T {
    let bytes = read_vec();
    let name = core::any::type_name::<T>();
    match postcard::take_from_bytes(&bytes) {
        Ok((value, [])) => value,
        Ok((_, rest)) => panic!(
            "io::read::<{name}>: {} trailing bytes after the value in a {}-byte frame",
            rest.len(),
            bytes.len()
        ),
        Err(err) => panic!(
            "io::read::<{name}>: malformed {}-byte frame: {err}",
            bytes.len()
        ),
    }
}

/// Reads the next value as [`read`] does, or returns `default` when the input is used up
/// (a program run without input takes its defaults).
///
/// # Panics
///
/// As [`read`], when input is left but is not one frame holding a `T`.
#[track_caller]
pub fn read_or<T: DeserializeOwned>(default: T) -> T {
    if input_len() > 0 { read() } else { default }
}

/// Appends the postcard encoding of `value` to the public output.
///
/// # Panics
///
/// If postcard cannot encode `value` (e.g. a sequence of unknown length).
#[track_caller]
pub fn commit<T: Serialize + ?Sized>(value: &T) {
    match postcard::to_allocvec(value) {
        Ok(bytes) => commit_slice(&bytes),
        Err(err) => panic!(
            "io::commit::<{}>: cannot encode: {err}",
            core::any::type_name::<T>()
        ),
    }
}

/// Appends `bytes` to the public output as they are (no length, no framing).
pub fn commit_slice(bytes: &[u8]) {
    syscalls::commit(bytes);
    OUTPUT_DIGEST.with(|digest| {
        digest.hasher.update(bytes);
        digest.committed = digest.committed.saturating_add(bytes.len());
    });
}

/// The keccak256 of every byte committed so far (of the empty string if none). Only for ending
/// the run: the hasher is consumed, so later commits would start a new digest.
pub(crate) fn finalize_output_digest() -> [u8; DIGEST_BYTES] {
    let mut digest = OUTPUT_DIGEST.with(core::mem::take);
    if digest.committed < keccak::RATE && !keccak::precompile_used() {
        digest.hasher.finish_with(tiny_keccak::keccakf)
    } else {
        digest.hasher.finish_with(keccak::permute)
    }
}

/// Formats into a small stack buffer and `WRITE`s it out whenever it fills: printing needs no
/// heap (so a panic about a full heap still prints) and costs one syscall per 256 bytes, not one
/// per formatted piece.
pub(crate) struct FdWriter {
    fd: u32,
    len: usize,
    buf: [u8; 256],
}

impl FdWriter {
    pub(crate) const fn new(fd: u32) -> Self {
        Self {
            fd,
            len: 0,
            buf: [0; 256],
        }
    }

    pub(crate) fn flush(&mut self) {
        if self.len > 0 {
            syscalls::write(self.fd, &self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl fmt::Write for FdWriter {
    fn write_str(&mut self, mut s: &str) -> fmt::Result {
        while !s.is_empty() {
            if self.len == self.buf.len() {
                self.flush();
            }
            let n = s.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
            self.len += n;
            s = &s[n..];
        }
        Ok(())
    }
}

/// The implementation of the print macros; not public API.
#[doc(hidden)]
pub fn _print(fd: u32, args: fmt::Arguments<'_>, newline: bool) {
    let mut writer = FdWriter::new(fd);
    // `FdWriter` never fails; an error here can only come from a `Display` impl, and printing
    // is best effort.
    let _ = fmt::Write::write_fmt(&mut writer, args);
    if newline {
        let _ = fmt::Write::write_str(&mut writer, "\n");
    }
    writer.flush();
}

/// Prints to the host's standard output through `WRITE`, like `std::print!`.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::io::_print($crate::platform::fd::STDOUT, format_args!($($arg)*), false)
    };
}

/// Prints a line to the host's standard output through `WRITE`, like `std::println!`.
#[macro_export]
macro_rules! println {
    () => {
        $crate::io::_print($crate::platform::fd::STDOUT, format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::io::_print($crate::platform::fd::STDOUT, format_args!($($arg)*), true)
    };
}

/// Prints to the host's standard error through `WRITE`, like `std::eprint!`.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::io::_print($crate::platform::fd::STDERR, format_args!($($arg)*), false)
    };
}

/// Prints a line to the host's standard error through `WRITE`, like `std::eprintln!`.
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::io::_print($crate::platform::fd::STDERR, format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::io::_print($crate::platform::fd::STDERR, format_args!($($arg)*), true)
    };
}
