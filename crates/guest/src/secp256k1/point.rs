//! Points of secp256k1 in affine coordinates, on the `SECP256K1_ADD` and `SECP256K1_DOUBLE`
//! precompiles.
//!
//! The syscalls only take the generic case: ADD needs two points with different x, DOUBLE a
//! point with y ≠ 0. Everything else (the identity, P + P, P + (−P)) is decided here, in guest
//! code, before any syscall; the identity is `None` in an `Option<AffinePoint>`. Since n is an
//! odd prime, no curve point has y = 0, so doubling a valid point never faults.

use super::field::{self, P};
use crate::syscalls;
use crate::uint256::{self, MulMod, U256};

/// A point of secp256k1 other than the identity: canonical coordinates (below p) on the curve
/// y² = x³ + 7. Laid out as the syscalls read it: x then y, each eight little-endian words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(4))]
pub struct AffinePoint {
    /// `[x, y]`.
    xy: [U256; 2],
}

/// The generator G of the standard group of order n.
pub const GENERATOR: AffinePoint = AffinePoint {
    xy: [
        [
            0x16F8_1798,
            0x59F2_815B,
            0x2DCE_28D9,
            0x029B_FCDB,
            0xCE87_0B07,
            0x55A0_6295,
            0xF9DC_BBAC,
            0x79BE_667E,
        ],
        [
            0xFB10_D4B8,
            0x9C47_D08F,
            0xA685_5419,
            0xFD17_B448,
            0x0E11_08A8,
            0x5DA4_FBFC,
            0x26A3_C465,
            0x483A_DA77,
        ],
    ],
};

impl AffinePoint {
    /// The point `(x, y)`, or `None` unless both are below p and y² = x³ + 7 (mod p).
    pub fn from_xy(x: &U256, y: &U256) -> Option<Self> {
        let valid = field::is_canonical(x) && field::is_canonical(y) && field::is_on_curve(x, y);
        valid.then_some(Self { xy: [*x, *y] })
    }

    /// The point with this x whose y is odd (`y_is_odd`) or even, or `None` if `x ≥ p` or
    /// x³ + 7 is not a square mod p. About 270 `UINT256_MULMOD` calls (a square root).
    pub fn decompress(x: &U256, y_is_odd: bool) -> Option<Self> {
        if !field::is_canonical(x) {
            return None;
        }
        let mut mm = MulMod::new(&P);
        let rhs = field::curve_rhs(&mut mm, x);
        let mut y = field::sqrt(&mut mm, &rhs)?;
        if (y[0] & 1 == 1) != y_is_odd {
            y = uint256::neg_mod(&y, &P);
        }
        Some(Self { xy: [*x, y] })
    }

    /// Parses a SEC1 public key as k256's `PublicKey::from_sec1_bytes` does: 65 bytes
    /// `04 ‖ x ‖ y` (uncompressed), 33 bytes `02 ‖ x` or `03 ‖ x` (compressed, even or odd y),
    /// or 33 bytes `05 ‖ x` (compact: the even y), with big-endian coordinates. `None` for any
    /// other length or tag, a coordinate ≥ p, a point off the curve, an x with no point, and
    /// the identity (`00`), which is no public key.
    pub fn from_sec1(bytes: &[u8]) -> Option<Self> {
        let (&tag, rest) = bytes.split_first()?;
        match (tag, rest.len()) {
            (0x04, 64) => {
                let (x, y) = rest.split_first_chunk::<32>()?;
                let y = y.first_chunk::<32>()?;
                Self::from_xy(&uint256::from_be_bytes(x), &uint256::from_be_bytes(y))
            }
            (0x02 | 0x03 | 0x05, 32) => {
                let x = rest.first_chunk::<32>()?;
                Self::decompress(&uint256::from_be_bytes(x), tag == 0x03)
            }
            _ => None,
        }
    }

    /// x.
    pub fn x(&self) -> &U256 {
        &self.xy[0]
    }

    /// y.
    pub fn y(&self) -> &U256 {
        &self.xy[1]
    }

    /// `x ‖ y`, each 32 bytes big-endian: the uncompressed SEC1 encoding without its `04` tag,
    /// as Ethereum hashes public keys.
    pub fn to_xy_bytes(&self) -> [u8; 64] {
        let mut bytes = [0; 64];
        let (x, y) = bytes.split_at_mut(32);
        x.copy_from_slice(&uint256::to_be_bytes(&self.xy[0]));
        y.copy_from_slice(&uint256::to_be_bytes(&self.xy[1]));
        bytes
    }

    /// −P = (x, p − y).
    pub fn neg(&self) -> Self {
        Self {
            xy: [self.xy[0], uint256::neg_mod(&self.xy[1], &P)],
        }
    }

    /// 2P: one `SECP256K1_DOUBLE`.
    pub fn double(&self) -> Self {
        let mut doubled = *self;
        syscalls::secp256k1_double(&mut doubled.xy);
        doubled
    }

    /// P + Q, `None` for the identity (Q = −P): one `SECP256K1_ADD`, or `SECP256K1_DOUBLE` when
    /// Q = P.
    pub fn add(&self, other: &Self) -> Option<Self> {
        let mut sum = Acc::from(*self);
        sum.add(other);
        sum.into_point()
    }

    /// k·P (`None` for the identity, e.g. k ≡ 0 mod n), by double-and-add from k's top bit: at
    /// most 256 doublings and one addition per set bit.
    pub fn mul(&self, k: &U256) -> Option<Self> {
        ladder(k, &uint256::ZERO, [None, Some(self), None, None])
    }

    /// a·P + b·Q (`None` for the identity) by Shamir's trick: one pass over the bits of `a` and
    /// `b` from the top set bit down, one doubling per bit and at most one addition of P, Q or
    /// the precomputed P + Q. For 256-bit scalars, about 256 doublings and 192 additions.
    pub fn lincomb(a: &U256, p: &Self, b: &U256, q: &Self) -> Option<Self> {
        let p_plus_q = p.add(q);
        ladder(a, b, [None, Some(p), Some(q), p_plus_q.as_ref()])
    }
}

/// Σ over the bits i of `a` and `b`, from the top set bit down, of 2^i · `table[a_i + 2·b_i]`
/// (a `None` entry is the identity).
fn ladder(a: &U256, b: &U256, table: [Option<&AffinePoint>; 4]) -> Option<AffinePoint> {
    let top = top_bit(a, b)?;
    let top_word = (top / 32) as usize;
    let mut acc = Acc::IDENTITY;
    for word in (0..=top_word).rev() {
        let bits = if word == top_word { top % 32 + 1 } else { 32 };
        // The word's bits from its top (set) bit down, each shifted in turn to bit 31.
        let (mut wa, mut wb) = (a[word] << (32 - bits), b[word] << (32 - bits));
        for _ in 0..bits {
            acc.double();
            let index = (wa >> 31) | ((wb >> 31) << 1);
            (wa, wb) = (wa << 1, wb << 1);
            if let Some(entry) = table[index as usize] {
                acc.add(entry);
            }
        }
    }
    acc.into_point()
}

/// The index of the highest set bit of `a | b`, or `None` if both are zero.
fn top_bit(a: &U256, b: &U256) -> Option<u32> {
    (0..8).rev().find_map(|i| {
        let word = a[i] | b[i];
        (word != 0).then(|| 32 * i as u32 + 31 - word.leading_zeros())
    })
}

/// A running sum that may be the identity: a point and a flag, rather than an `Option`, so that
/// the syscalls work on it in place.
///
/// While `identity` is set, `point` keeps a stale value, but always a curve point (the
/// generator, or a sum or double of curve points), so doubling it cannot fault: [`Acc::double`]
/// saves its check of the flag on every bit of a ladder, at the cost of one wasted doubling
/// for the first bit and after the (rare) cancellations. [`Acc::add`] overwrites a stale point.
struct Acc {
    point: AffinePoint,
    identity: bool,
}

impl From<AffinePoint> for Acc {
    fn from(point: AffinePoint) -> Self {
        Self {
            point,
            identity: false,
        }
    }
}

impl Acc {
    const IDENTITY: Self = Self {
        point: GENERATOR,
        identity: true,
    };

    /// `self := 2·self` (the identity stays the identity; its stale point is doubled too).
    #[inline(always)]
    fn double(&mut self) {
        syscalls::secp256k1_double(&mut self.point.xy);
    }

    /// `self := self + q`, with the cases the syscall does not take handled here.
    #[inline(always)]
    fn add(&mut self, q: &AffinePoint) {
        if self.identity {
            self.point = *q;
            self.identity = false;
        } else if !uint256::eq(self.point.x(), q.x()) {
            syscalls::secp256k1_add(&mut self.point.xy, &q.xy);
        } else if uint256::eq(self.point.y(), q.y()) {
            // Same point: coordinates are canonical, so equal x and y mean P = Q.
            syscalls::secp256k1_double(&mut self.point.xy);
        } else {
            // Same x, other y: Q = −P.
            self.identity = true;
        }
    }

    fn into_point(self) -> Option<AffinePoint> {
        (!self.identity).then_some(self.point)
    }
}
