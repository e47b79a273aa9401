//! Syscall ids. A guest executes `ecall` with the id in `t0`, arguments in `a0..a3`; the result,
//! if any, comes back in `a0`.

/// Ends the run. `a0` = exit code, `a1` = pointer to the 32-byte output digest, which becomes a
/// public value.
pub const HALT: u32 = 0x00;
/// Host-side output, not proven. `a0` = fd (1 stdout, 2 stderr), `a1` = pointer, `a2` = length.
pub const WRITE: u32 = 0x01;
/// `a0` := number of bytes left in the input stream.
pub const HINT_LEN: u32 = 0x02;
/// Copies the next `a1` input bytes to guest memory at `a0` (word aligned).
pub const HINT_READ: u32 = 0x03;
/// Appends `a1` bytes at `a0` to the public output.
pub const COMMIT: u32 = 0x04;
/// keccak-f\[1600\] in place on 25 little-endian u64 lanes at `a0` (word aligned).
pub const KECCAK_PERMUTE: u32 = 0x100;

/// Number of bytes the `KECCAK_PERMUTE` state occupies in guest memory.
pub const KECCAK_STATE_BYTES: u32 = 25 * 8;

/// A human name for a syscall id, for error messages and profiles.
pub const fn name(id: u32) -> Option<&'static str> {
    match id {
        HALT => Some("HALT"),
        WRITE => Some("WRITE"),
        HINT_LEN => Some("HINT_LEN"),
        HINT_READ => Some("HINT_READ"),
        COMMIT => Some("COMMIT"),
        KECCAK_PERMUTE => Some("KECCAK_PERMUTE"),
        _ => None,
    }
}
