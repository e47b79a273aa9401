//! 256-bit unsigned integers as eight little-endian `u32` words, with modular multiplication on
//! the `UINT256_MULMOD` precompile.
//!
//! Additions, subtractions and comparisons are plain guest code (a few dozen instructions);
//! products mod `m` are one syscall each through a [`MulMod`], which keeps the factor next to
//! the modulus as the syscall reads them. Everything here is variable time: a zkVM guest has no
//! timing side channel to guard, only cycles to save.

use crate::syscalls;

/// A 256-bit unsigned integer: eight little-endian words, least significant first (the layout
/// of the secp256k1 and mulmod syscalls).
pub type U256 = [u32; 8];

/// Zero.
pub const ZERO: U256 = [0; 8];
/// One.
pub const ONE: U256 = [1, 0, 0, 0, 0, 0, 0, 0];

/// The integer whose 32-byte big-endian encoding is `bytes`.
#[inline]
pub fn from_be_bytes(bytes: &[u8; 32]) -> U256 {
    let mut words = ZERO;
    for (word, chunk) in words.iter_mut().rev().zip(bytes.as_chunks::<4>().0) {
        *word = u32::from_be_bytes(*chunk);
    }
    words
}

/// The 32-byte big-endian encoding of `x`.
#[inline]
pub fn to_be_bytes(x: &U256) -> [u8; 32] {
    let mut bytes = [0; 32];
    for (chunk, word) in bytes.as_chunks_mut::<4>().0.iter_mut().zip(x.iter().rev()) {
        *chunk = word.to_be_bytes();
    }
    bytes
}

/// Whether `x` is zero.
#[inline]
pub fn is_zero(x: &U256) -> bool {
    x.iter().fold(0, |acc, w| acc | w) == 0
}

/// Whether `a == b`. Decided by the low words first, where two different values almost always
/// already differ.
#[inline]
pub fn eq(a: &U256, b: &U256) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return false;
        }
    }
    true
}

/// Whether `a < b`.
#[inline]
pub fn lt(a: &U256, b: &U256) -> bool {
    // From the most significant word down; the first difference decides.
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a += b`; returns the carry out of the top word.
#[inline]
pub fn add_assign(a: &mut U256, b: &U256) -> bool {
    let mut carry = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (sum, c1) = x.overflowing_add(*y);
        let (sum, c2) = sum.overflowing_add(u32::from(carry));
        *x = sum;
        carry = c1 | c2;
    }
    carry
}

/// `a -= b`; returns the borrow out of the top word (whether `a < b` before).
#[inline]
pub fn sub_assign(a: &mut U256, b: &U256) -> bool {
    let mut borrow = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (diff, b1) = x.overflowing_sub(*y);
        let (diff, b2) = diff.overflowing_sub(u32::from(borrow));
        *x = diff;
        borrow = b1 | b2;
    }
    borrow
}

/// `a := (a + b) mod m`, for `a, b < m`.
#[inline]
pub fn add_mod(a: &mut U256, b: &U256, m: &U256) {
    // a + b < 2m: one subtraction of m is enough, and needed when the sum overflowed 2^256 or
    // is at least m.
    if add_assign(a, b) || !lt(a, m) {
        sub_assign(a, m);
    }
}

/// `a := (a − b) mod m`, for `a, b < m`.
#[inline]
pub fn sub_mod(a: &mut U256, b: &U256, m: &U256) {
    if sub_assign(a, b) {
        add_assign(a, m);
    }
}

/// `(−a) mod m`, for `a < m`.
#[inline]
pub fn neg_mod(a: &U256, m: &U256) -> U256 {
    if is_zero(a) {
        return ZERO;
    }
    let mut neg = *m;
    sub_assign(&mut neg, a);
    neg
}

/// `a mod m` for `a < 2m`: subtracts `m` once if `a ≥ m`.
#[inline]
pub fn reduce_once(a: &mut U256, m: &U256) {
    if !lt(a, m) {
        sub_assign(a, m);
    }
}

/// Products modulo a fixed nonzero `m`, on the `UINT256_MULMOD` precompile.
///
/// The syscall reads the factor `y` and the modulus `m` from one 64-byte block, so a `MulMod`
/// owns that block and copies each factor into it (eight words, about 16 instructions) before
/// the `ecall`. [`mulmod`] skips the copy for a factor that is already laid out with its
/// modulus, such as a precomputed power.
#[derive(Clone, Debug)]
pub struct MulMod {
    /// `[y, m]`, as the syscall reads them.
    y_m: [U256; 2],
}

impl MulMod {
    /// Products modulo `m`.
    ///
    /// # Panics
    ///
    /// If `m` is zero (the syscall would fault).
    pub fn new(m: &U256) -> Self {
        assert!(!is_zero(m), "MulMod::new: zero modulus");
        Self { y_m: [ZERO, *m] }
    }

    /// The modulus.
    pub fn modulus(&self) -> &U256 {
        &self.y_m[1]
    }

    /// `x := x·y mod m`. Requires `x < m` or `y < m` (otherwise the syscall may fault).
    #[inline]
    pub fn mul(&mut self, x: &mut U256, y: &U256) {
        self.y_m[0] = *y;
        syscalls::uint256_mulmod(x, &self.y_m);
    }

    /// `x := x² mod m`, for `x < m`.
    #[inline]
    pub fn square(&mut self, x: &mut U256) {
        self.y_m[0] = *x;
        syscalls::uint256_mulmod(x, &self.y_m);
    }

    /// `x := x^(2^n) mod m` (`n` squarings), for `x < m`.
    #[inline]
    pub fn square_n(&mut self, x: &mut U256, n: u32) {
        for _ in 0..n {
            self.square(x);
        }
    }
}

/// `x := x·y mod m` for `y_m = [y, m]`: the syscall itself, for a factor kept next to its
/// modulus (such as a table of precomputed powers), which saves [`MulMod::mul`]'s copy.
/// Requires `m ≠ 0` and `x < m` or `y < m` (otherwise the syscall may fault).
#[inline]
pub fn mulmod(x: &mut U256, y_m: &[U256; 2]) {
    syscalls::uint256_mulmod(x, y_m);
}
