//! One thin wrapper per syscall of the guest ABI (ids in [`geode_platform::syscall`]): `ecall`
//! with the id in `t0`, arguments in `a0..a3`, the result in `a0`.
//!
//! These are the raw operations. Guest programs normally want [`crate::io`] instead, which frames
//! input and, crucially, keeps the output digest in step with [`commit`].
//!
//! Every wrapper declares `a0` clobbered, whether or not the syscall returns a value, so that the
//! compiler never relies on a register the host is allowed to write.

use core::arch::asm;

use geode_platform::{DIGEST_BYTES, memory::WORD_BYTES, syscall};

/// `HALT`: ends the run with `exit_code` and the 32-byte output digest.
///
/// Does not finalize anything: [`crate::exit`] is the way to end a run with the right digest.
pub fn halt(exit_code: u32, output_digest: &[u8; DIGEST_BYTES]) -> ! {
    /// HALT wants the digest word aligned, which a `[u8; 32]` need not be.
    #[repr(C, align(4))]
    struct Aligned([u8; DIGEST_BYTES]);

    let digest = Aligned(*output_digest);
    // SAFETY: HALT reads the 32 bytes of `digest` and never returns.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::HALT,
            in("a0") exit_code,
            in("a1") digest.0.as_ptr(),
            options(noreturn, nostack, readonly),
        )
    }
}

/// `WRITE`: host-side output on `fd` ([`geode_platform::fd`]); not proven.
pub fn write(fd: u32, bytes: &[u8]) {
    // SAFETY: WRITE only reads `bytes`.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::WRITE,
            inlateout("a0") fd => _,
            in("a1") bytes.as_ptr(),
            in("a2") bytes.len(),
            options(nostack, readonly),
        )
    }
}

/// `HINT_LEN`: the number of bytes left in the input stream.
pub fn hint_len() -> usize {
    let len: usize;
    // SAFETY: HINT_LEN touches no guest memory. Not `pure`: the answer changes as input is read.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::HINT_LEN,
            lateout("a0") len,
            options(nostack, nomem),
        )
    }
    len
}

/// `HINT_READ`: copies the next `len` bytes of the input stream to `dst`.
///
/// # Safety
///
/// `dst` must be word aligned and valid for writes of `len` bytes rounded up to a whole number
/// of words, since the host may write the last word in full.
///
/// # Panics
///
/// If `dst` is not word aligned (the host would fault the guest anyway; this says why).
pub unsafe fn hint_read(dst: *mut u8, len: usize) {
    assert!(
        dst.addr().is_multiple_of(WORD_BYTES as usize),
        "hint_read: destination {dst:p} is not word aligned"
    );
    // SAFETY: the caller guarantees that `dst` is valid for the bytes HINT_READ writes.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::HINT_READ,
            inlateout("a0") dst => _,
            in("a1") len,
            options(nostack),
        )
    }
}

/// `COMMIT`: appends `bytes` to the public output.
///
/// Raw: this does not update the output digest, so on its own it makes the run's public output
/// disagree with its digest. Use [`crate::io::commit_slice`].
pub fn commit(bytes: &[u8]) {
    // SAFETY: COMMIT only reads `bytes`.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::COMMIT,
            inlateout("a0") bytes.as_ptr() => _,
            in("a1") bytes.len(),
            options(nostack, readonly),
        )
    }
}

/// `KECCAK_PERMUTE`: keccak-f\[1600\] in place on 25 little-endian lanes.
pub fn keccak_permute(state: &mut [u64; 25]) {
    // SAFETY: KECCAK_PERMUTE reads and writes exactly the 200 bytes of `state`, which is 8-byte
    // aligned and so word aligned.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::KECCAK_PERMUTE,
            inlateout("a0") state.as_mut_ptr() => _,
            options(nostack),
        )
    }
}

/// `SECP256K1_ADD`: `p := p + q` on secp256k1 affine points, each `[x, y]` as little-endian
/// words (see [`crate::secp256k1`] for a checked API).
///
/// The host faults the run unless the two x coordinates differ mod p (the points are neither
/// equal nor opposite). The borrows make the two regions disjoint, as the syscall requires.
pub fn secp256k1_add(p: &mut [[u32; 8]; 2], q: &[[u32; 8]; 2]) {
    // SAFETY: SECP256K1_ADD writes the 64 bytes of `p` and reads the 64 bytes of `q`, both word
    // aligned; a `&mut` and a `&` never overlap.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::SECP256K1_ADD,
            inlateout("a0") p.as_mut_ptr() => _,
            in("a1") q.as_ptr(),
            options(nostack),
        )
    }
}

/// `SECP256K1_DOUBLE`: `p := 2p` on a secp256k1 affine point `[x, y]` of little-endian words.
///
/// The host faults the run if `y ≡ 0 (mod p)` (no point of the curve has that y).
pub fn secp256k1_double(p: &mut [[u32; 8]; 2]) {
    // SAFETY: SECP256K1_DOUBLE writes the 64 bytes of `p`, which are word aligned.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::SECP256K1_DOUBLE,
            inlateout("a0") p.as_mut_ptr() => _,
            options(nostack),
        )
    }
}

/// `UINT256_MULMOD`: `x := x·y mod m` on 256-bit little-endian integers, with `y_m = [y, m]`
/// (see [`crate::uint256`] for the helpers around it).
///
/// The host faults the run if `m = 0` or `x·y ≥ m·2^256` (never the case when `x < m` or
/// `y < m`). The borrows make the two regions disjoint, as the syscall requires.
pub fn uint256_mulmod(x: &mut [u32; 8], y_m: &[[u32; 8]; 2]) {
    // SAFETY: UINT256_MULMOD writes the 32 bytes of `x` and reads the 64 bytes of `y_m`, both
    // word aligned; a `&mut` and a `&` never overlap.
    unsafe {
        asm!(
            "ecall",
            in("t0") syscall::UINT256_MULMOD,
            inlateout("a0") x.as_mut_ptr() => _,
            in("a1") y_m.as_ptr(),
            options(nostack),
        )
    }
}
