//! What the verifier stages need of an arithmetic backend beyond the transcript: KoalaBear and
//! extension arithmetic, selections by sampled bits, equality checks, and the Merkle hash.
//!
//! Natively ([`super::native::Native`]) a failed check is counted, so a test can compare
//! acceptance with Plonky3's verifier; in the circuit it is a constraint.

use geode_stark::Challenge;
use p3_field::PrimeCharacteristicRing as _;

use super::transcript::{Ext, TranscriptBackend};

/// Arithmetic, checks and hashing over a transcript backend.
pub trait Backend: TranscriptBackend {
    /// An extension element.
    type E: Clone;
    /// One sampled bit.
    type Bit: Copy;

    /// The little-endian bits of sampled bits.
    fn bits(&mut self, b: &Self::Bits) -> Vec<Self::Bit>;

    /// `a · b` in the base field.
    fn kb_mul(&mut self, a: Self::Kb, b: Self::Kb) -> Self::Kb;
    /// `1 / a` in the base field; a zero `a` fails a check (and gives zero).
    fn kb_inv(&mut self, a: Self::Kb) -> Self::Kb;
    /// `bit ? a : b` in the base field.
    fn kb_select(&mut self, bit: Self::Bit, a: Self::Kb, b: Self::Kb) -> Self::Kb;

    /// The element with coefficients `c`.
    fn ext(&mut self, c: &Ext<Self::Kb>) -> Self::E;
    /// A constant.
    fn ext_const(&mut self, c: Challenge) -> Self::E;
    /// A base element as an extension element.
    fn ext_from_base(&mut self, k: Self::Kb) -> Self::E;
    /// The coefficients of `a`, each below `2^31` (not necessarily canonical: they are only
    /// hashed, and the leaf packing is injective on 31-bit values).
    fn ext_coeffs(&mut self, a: &Self::E) -> Ext<Self::Kb>;
    /// `a + b`.
    fn ext_add(&mut self, a: &Self::E, b: &Self::E) -> Self::E;
    /// `a − b`.
    fn ext_sub(&mut self, a: &Self::E, b: &Self::E) -> Self::E;
    /// `a · b`.
    fn ext_mul(&mut self, a: &Self::E, b: &Self::E) -> Self::E;
    /// `a · k` for a base element `k`.
    fn ext_mul_base(&mut self, a: &Self::E, k: Self::Kb) -> Self::E;
    /// `1 / a`; a zero `a` fails a check (and gives zero).
    fn ext_inv(&mut self, a: &Self::E) -> Self::E;
    /// `bit ? a : b`.
    fn ext_select(&mut self, bit: Self::Bit, a: &Self::E, b: &Self::E) -> Self::E;
    /// Checks `a = b`.
    fn ext_assert_eq(&mut self, a: &Self::E, b: &Self::E);

    /// `[1, x, …, x^(n−1)]`.
    fn ext_powers(&mut self, x: &Self::E, n: usize) -> Vec<Self::E> {
        let mut out: Vec<Self::E> = Vec::with_capacity(n);
        for i in 0..n {
            let next = match i {
                0 => self.ext_const(Challenge::ONE),
                _ => self.ext_mul(&out[i - 1], x),
            };
            out.push(next);
        }
        out
    }

    /// Σ `a[i] · b[i]`.
    fn ext_dot(&mut self, a: &[Self::E], b: &[Self::E]) -> Self::E {
        let mut acc = self.ext_const(Challenge::ZERO);
        for (x, y) in a.iter().zip(b) {
            let t = self.ext_mul(x, y);
            acc = self.ext_add(&acc, &t);
        }
        acc
    }

    /// Σ `coeffs[i] · values[i]` with base `values`.
    fn ext_dot_base(&mut self, coeffs: &[Self::E], values: &[Self::Kb]) -> Self::E {
        let mut acc = self.ext_const(Challenge::default());
        for (c, &v) in coeffs.iter().zip(values) {
            let t = self.ext_mul_base(c, v);
            acc = self.ext_add(&acc, &t);
        }
        acc
    }

    /// The leaf hash of one row of values (the concatenated rows of a tree layer).
    fn hash_row(&mut self, values: &[Self::Kb]) -> Self::Word;
    /// The 2-to-1 compression.
    fn compress(&mut self, left: Self::Word, right: Self::Word) -> Self::Word;
    /// `bit ? (b, a) : (a, b)`.
    fn swap_words(
        &mut self,
        bit: Self::Bit,
        a: Self::Word,
        b: Self::Word,
    ) -> (Self::Word, Self::Word);
    /// Checks `a = b`.
    fn word_assert_eq(&mut self, a: Self::Word, b: Self::Word);
}
