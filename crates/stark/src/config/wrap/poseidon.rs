//! Poseidon over the Pallas base field: the permutation, the digest word, the Merkle leaf hash
//! and the 2-to-1 compression of the wrap configuration.
//!
//! The permutation is `halo2_poseidon`'s `P128Pow5T3` (width 3, rate 2, x^5 S-box, 8 full and
//! 56 partial rounds), with that crate's round constants and MDS matrix: the same permutation the
//! `halo2_gadgets` Pow5 chip proves. It is written out here (the crate keeps its own `permute`
//! private) and checked against the crate bit for bit in the tests.

use std::sync::LazyLock;

use halo2_poseidon::{P128Pow5T3, Spec};
use p3_field::PrimeField32;
use p3_field::{Packable, PrimeCharacteristicRing};
use p3_symmetric::{CryptographicHasher, PseudoCompressionFunction};
use pasta_curves::Fp;
use pasta_curves::group::ff::{Field, PrimeField};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::Val;

/// Permutation width in Pallas elements.
pub const WIDTH: usize = 3;
/// Sponge rate in Pallas elements (the capacity is the last element).
pub const RATE: usize = 2;
/// KoalaBear values packed into one Pallas element: 8 limbs of 31 bits, 248 bits < log2(q).
pub const VALUES_PER_CELL: usize = 8;
/// KoalaBear values absorbed per permutation: [`VALUES_PER_CELL`] · [`RATE`].
pub const VALUES_PER_BLOCK: usize = VALUES_PER_CELL * RATE;
/// Bits per packed limb: KoalaBear's canonical values are below `2^31`.
pub const LIMB_BITS: usize = 31;
/// Initial capacity of the 2-to-1 compression, `2 · 2^64`: that of `halo2_poseidon`'s
/// `ConstantLength<2>` hash, which the compression therefore equals.
pub const COMPRESS_TAG: u128 = 2 << 64;

/// One Pallas base-field element as the word of a Merkle digest (`MerkleTreeMmcs<_, PallasWord,
/// _, _, 2, 1>`). Serialized as its canonical 32-byte little-endian representation; decoding
/// rejects non-canonical bytes, so every digest has exactly one encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PallasWord(pub Fp);

impl Packable for PallasWord {}

impl Serialize for PallasWord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_repr().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PallasWord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bytes = <[u8; 32]>::deserialize(deserializer)?;
        Option::from(Fp::from_repr(bytes))
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("non-canonical Pallas element"))
    }
}

type Matrix = [[Fp; WIDTH]; WIDTH];

/// `halo2_poseidon`'s round constants and MDS matrix, rearranged once for a faster evaluation
/// of the same permutation (Poseidon paper, ePrint 2019/458, Appendix B): the constants of the
/// partial rounds moved to the first element, and their MDS multiplications factored into one
/// dense matrix and `R_P - 1` sparse ones (5 multiplications instead of 9). The tests compare
/// the result with `halo2_poseidon`'s own permutation and the Zcash test vectors.
struct Constants {
    mds: Matrix,
    /// Full rounds before the partial rounds.
    first: Vec<[Fp; WIDTH]>,
    /// Full rounds after them (the first carrying what the partial rounds pushed forward).
    last: Vec<[Fp; WIDTH]>,
    /// The first partial round's constants and matrix.
    partial_first: ([Fp; WIDTH], Matrix),
    /// The other partial rounds: the constant of element 0, and the sparse matrix
    /// `[[m00, w1, w2], [v1, 1, 0], [v2, 0, 1]]` as `(m00, [w1, w2], [v1, v2])`.
    partial_rest: Vec<(Fp, Sparse)>,
}

type Sparse = (Fp, [Fp; 2], [Fp; 2]);

fn mat_mul(a: &Matrix, b: &Matrix) -> Matrix {
    std::array::from_fn(|i| std::array::from_fn(|j| (0..WIDTH).map(|k| a[i][k] * b[k][j]).sum()))
}

fn mat_vec(m: &Matrix, s: &[Fp; WIDTH]) -> [Fp; WIDTH] {
    std::array::from_fn(|i| m[i][0] * s[0] + m[i][1] * s[1] + m[i][2] * s[2])
}

/// `x = b · a` with `a = diag(1, x11)` and `b = [[x00, x01 · x11^-1], [x10, I]]`, where `x11`
/// is the lower-right 2×2 block.
fn factor(x: &Matrix) -> (Sparse, Matrix) {
    let (p, q, r, t) = (x[1][1], x[1][2], x[2][1], x[2][2]);
    let det_inv = Option::<Fp>::from((p * t - q * r).invert()).expect("MDS minors are invertible");
    let inv = [[t * det_inv, -q * det_inv], [-r * det_inv, p * det_inv]];
    let w = std::array::from_fn(|j| x[0][1] * inv[0][j] + x[0][2] * inv[1][j]);
    let a = [
        [Fp::ONE, Fp::ZERO, Fp::ZERO],
        [Fp::ZERO, p, q],
        [Fp::ZERO, r, t],
    ];
    ((x[0][0], w, [x[1][0], x[2][0]]), a)
}

static CONSTANTS: LazyLock<Constants> = LazyLock::new(|| {
    let (rc, mds, _) = <P128Pow5T3 as Spec<Fp, WIDTH, RATE>>::constants();
    let half = <P128Pow5T3 as Spec<Fp, WIDTH, RATE>>::full_rounds() / 2;
    let partial = <P128Pow5T3 as Spec<Fp, WIDTH, RATE>>::partial_rounds();
    let (first, rest) = rc.split_at(half);
    let (partial_rc, last) = rest.split_at(partial);
    // Constants: what a partial round adds to elements 1 and 2 passes its S-box unchanged, so
    // it is carried through the MDS matrix into the next round's constants.
    let mut carry = [Fp::ZERO; WIDTH];
    let mut scalars = Vec::with_capacity(partial);
    for c in partial_rc {
        let c: [Fp; WIDTH] = std::array::from_fn(|i| c[i] + carry[i]);
        scalars.push(c[0]);
        carry = mat_vec(&mds, &[Fp::ZERO, c[1], c[2]]);
    }
    let mut last = last.to_vec();
    for (l, c) in last[0].iter_mut().zip(carry) {
        *l += c;
    }
    // Matrices, from the last partial round back: factor `x = b · a`, keep the sparse `b`, and
    // move `a` (which leaves element 0 alone and so commutes with the S-box) into the round
    // before.
    let mut x = mds;
    let mut sparse = Vec::with_capacity(partial - 1);
    for _ in 1..partial {
        let (b, a) = factor(&x);
        sparse.push(b);
        x = mat_mul(&a, &mds);
    }
    sparse.reverse();
    Constants {
        mds,
        first: first.to_vec(),
        last,
        partial_first: ([scalars[0], Fp::ZERO, Fp::ZERO], x),
        partial_rest: scalars[1..].iter().copied().zip(sparse).collect(),
    }
});

#[inline]
fn pow5(x: Fp) -> Fp {
    let x2 = x.square();
    x2.square() * x
}

/// The `P128Pow5T3` permutation: `R_F / 2` full rounds, `R_P` partial rounds (S-box on the
/// first element only), `R_F / 2` full rounds; each round adds its constants, applies the S-box
/// and multiplies by the MDS matrix. This is `halo2_poseidon`'s permutation, evaluated with
/// the rearranged constants of [`Constants`].
pub fn permute(state: &mut [Fp; WIDTH]) {
    let c = &*CONSTANTS;
    for rc in &c.first {
        *state = mat_vec(&c.mds, &std::array::from_fn(|i| pow5(state[i] + rc[i])));
    }
    let (rc, m) = &c.partial_first;
    let mut s: [Fp; WIDTH] = std::array::from_fn(|i| state[i] + rc[i]);
    s[0] = pow5(s[0]);
    *state = mat_vec(m, &s);
    for &(rc, (m00, w, v)) in &c.partial_rest {
        let x0 = pow5(state[0] + rc);
        *state = [
            m00 * x0 + w[0] * state[1] + w[1] * state[2],
            v[0] * x0 + state[1],
            v[1] * x0 + state[2],
        ];
    }
    for rc in &c.last {
        *state = mat_vec(&c.mds, &std::array::from_fn(|i| pow5(state[i] + rc[i])));
    }
}

/// Packs up to [`VALUES_PER_CELL`] KoalaBear values into one Pallas element:
/// `Σ_i canonical(v_i) · 2^(31·i)`. Injective for a fixed count (each limb is below `2^31`).
///
/// # Panics
/// If more than [`VALUES_PER_CELL`] values are given.
pub fn pack(values: &[Val]) -> Fp {
    assert!(values.len() <= VALUES_PER_CELL, "at most 8 values per cell");
    let mut limbs = [0u64; 4];
    for (i, v) in values.iter().enumerate() {
        let (bit, v) = (LIMB_BITS * i, u64::from(v.as_canonical_u32()));
        let (word, shift) = (bit / 64, bit % 64);
        limbs[word] |= v << shift;
        if shift + LIMB_BITS > 64 {
            limbs[word + 1] |= v >> (64 - shift);
        }
    }
    Fp::from_raw(limbs)
}

/// The Merkle leaf hash: a sponge over the KoalaBear values of a row, `n` of them.
///
/// The state starts as `[0, 0, n]`. The values are packed 8 to a cell ([`pack`]) and the cells
/// taken two at a time (the last pair padded with a zero cell); each pair is added to the rate
/// and the state permuted. An empty row is one permutation of `[0, 0, 0]`. The digest is the
/// first state element. The length in the capacity keeps rows of different lengths (which pack
/// to the same cells when the extra values are zero) apart, and the compression's capacity
/// ([`COMPRESS_TAG`] > any length) keeps leaves and inner nodes apart.
///
/// # Panics
/// If `values` does not yield exactly `n` values.
pub fn hash_values(values: impl IntoIterator<Item = Val>, n: usize) -> Fp {
    let mut state = [Fp::ZERO, Fp::ZERO, Fp::from(n as u64)];
    let mut block = [Val::ZERO; VALUES_PER_BLOCK];
    let mut len = 0;
    let mut permuted = false;
    let absorb = |block: &[Val], state: &mut [Fp; WIDTH]| {
        let (lo, hi) = block.split_at(block.len().min(VALUES_PER_CELL));
        state[0] += pack(lo);
        state[1] += pack(hi);
        permute(state);
    };
    let mut seen = 0;
    for v in values {
        block[len] = v;
        len += 1;
        seen += 1;
        if len == VALUES_PER_BLOCK {
            absorb(&block, &mut state);
            len = 0;
            permuted = true;
        }
    }
    assert_eq!(seen, n, "the row has the length its hash was told");
    if len > 0 || !permuted {
        absorb(&block[..len], &mut state);
    }
    state[0]
}

/// The 2-to-1 compression: the first element of `permute([left, right, 2^65])`, which is
/// `halo2_poseidon`'s `Hash<_, P128Pow5T3, ConstantLength<2>, 3, 2>` of `[left, right]`.
pub fn compress(left: Fp, right: Fp) -> Fp {
    let mut state = [left, right, Fp::from_u128(COMPRESS_TAG)];
    permute(&mut state);
    state[0]
}

/// The Merkle leaf hash ([`hash_values`]) as a Plonky3 hasher.
#[derive(Clone, Copy, Debug, Default)]
pub struct WrapHash;

impl CryptographicHasher<Val, [PallasWord; 1]> for WrapHash {
    fn hash_iter<I>(&self, input: I) -> [PallasWord; 1]
    where
        I: IntoIterator<Item = Val>,
    {
        let values: Vec<Val> = input.into_iter().collect();
        [PallasWord(hash_values(
            values.iter().copied(),
            values.len(),
        ))]
    }

    fn hash_iter_slices<'a, I>(&self, input: I) -> [PallasWord; 1]
    where
        I: IntoIterator<Item = &'a [Val]>,
    {
        let slices: Vec<&[Val]> = input.into_iter().collect();
        let n = slices.iter().map(|s| s.len()).sum();
        [PallasWord(hash_values(
            slices.into_iter().flatten().copied(),
            n,
        ))]
    }
}

/// The 2-to-1 compression ([`compress`]) as a Plonky3 compression function.
#[derive(Clone, Copy, Debug, Default)]
pub struct WrapCompress;

impl PseudoCompressionFunction<[PallasWord; 1], 2> for WrapCompress {
    fn compress(&self, [[left], [right]]: [[PallasWord; 1]; 2]) -> [PallasWord; 1] {
        [PallasWord(compress(left.0, right.0))]
    }
}

#[cfg(test)]
mod tests {
    use halo2_poseidon::{ConstantLength, Hash, test_only_permute, test_vectors};

    use super::*;

    fn fp(bytes: [u8; 32]) -> Fp {
        Option::from(Fp::from_repr(bytes)).expect("canonical")
    }

    fn vals(range: std::ops::Range<u32>) -> Vec<Val> {
        range
            .map(|i| Val::from_u32((i + 1) * 0x0123_4567 % 0x7f00_0001))
            .collect()
    }

    /// The Zcash test vectors for `P128Pow5T3` over Pallas, and the crate's own permutation on
    /// other states.
    #[test]
    fn permutation_matches_halo2_poseidon() {
        for tv in test_vectors::fp::permute() {
            let mut state = tv.initial_state.map(fp);
            permute(&mut state);
            assert_eq!(state, tv.final_state.map(fp));
        }
        let (rc, mds, _) = <P128Pow5T3 as Spec<Fp, WIDTH, RATE>>::constants();
        for seed in 0..8u64 {
            let mut ours = [
                Fp::from(seed),
                -Fp::from(seed * 7 + 1),
                Fp::from_u128(1 << 100),
            ];
            let mut theirs = ours;
            permute(&mut ours);
            test_only_permute::<Fp, P128Pow5T3, WIDTH, RATE>(&mut theirs, &mds, &rc);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn compression_is_the_constant_length_2_hash() {
        for tv in test_vectors::fp::hash() {
            let [l, r] = tv.input.map(fp);
            assert_eq!(compress(l, r), fp(tv.output));
            let h = Hash::<Fp, P128Pow5T3, ConstantLength<2>, WIDTH, RATE>::init().hash([l, r]);
            assert_eq!(compress(l, r), h);
        }
        let (a, b) = (Fp::from(1), Fp::from(2));
        assert_ne!(compress(a, b), compress(b, a), "the compression is ordered");
    }

    #[test]
    fn packing_is_little_endian_31_bit_limbs() {
        let max = Val::from_u32(0x7f00_0000); // p - 1
        assert_eq!(pack(&[]), Fp::ZERO);
        assert_eq!(pack(&[Val::from_u32(5)]), Fp::from(5));
        assert_eq!(pack(&[Val::ONE, Val::from_u32(3)]), Fp::from(1 + (3 << 31)));
        let all = pack(&[max; 8]);
        let expected = (0..8).fold(Fp::ZERO, |acc, i| {
            acc + Fp::from(0x7f00_0000) * Fp::from(2).pow_vartime([31 * i as u64])
        });
        assert_eq!(all, expected);
    }

    #[test]
    fn hashes_of_different_rows_differ() {
        let rows = [
            vec![],
            vec![Val::ZERO],
            vec![Val::ZERO; 2],
            vec![Val::ZERO; 16],
            vec![Val::ZERO; 17],
            vals(0..1),
            vals(0..15),
            vals(0..16),
            vals(0..17),
            vals(0..100),
            vals(1..101),
        ];
        let digests: Vec<_> = rows.iter().map(|r| WrapHash.hash_slice(r)).collect();
        for (i, a) in digests.iter().enumerate() {
            for b in &digests[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // The empty row is one permutation of the zero state.
        let mut zero = [Fp::ZERO; WIDTH];
        permute(&mut zero);
        assert_eq!(digests[0], [PallasWord(zero[0])]);
        // One cell: one permutation of [pack, 0, n].
        let mut one = [pack(&rows[5]), Fp::ZERO, Fp::ONE];
        permute(&mut one);
        assert_eq!(digests[5], [PallasWord(one[0])]);
    }

    #[test]
    fn hashing_ignores_how_the_row_is_split() {
        let row = vals(0..45);
        let whole = WrapHash.hash_slice(&row);
        let (a, b) = row.split_at(19);
        assert_eq!(WrapHash.hash_iter_slices([a, b]), whole);
        assert_eq!(WrapHash.hash_iter(row.iter().copied()), whole);
        // The sponge by hand: 45 values = 6 cells = 3 blocks.
        let mut state = [Fp::ZERO, Fp::ZERO, Fp::from(45)];
        for block in row.chunks(VALUES_PER_BLOCK) {
            let (lo, hi) = block.split_at(block.len().min(VALUES_PER_CELL));
            state[0] += pack(lo);
            state[1] += pack(hi);
            permute(&mut state);
        }
        assert_eq!(whole, [PallasWord(state[0])]);
    }

    #[test]
    fn words_serialize_canonically() {
        let w = PallasWord(-Fp::ONE);
        let bytes = postcard::to_allocvec(&[w]).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_eq!(
            postcard::from_bytes::<[PallasWord; 1]>(&bytes).unwrap(),
            [w]
        );
        // The modulus itself (q = -1 + 1) is not canonical.
        let mut q = (-Fp::ONE).to_repr();
        q[0] += 1;
        assert!(postcard::from_bytes::<PallasWord>(&q).is_err());
        assert!(postcard::from_bytes::<PallasWord>(&[0xff; 32]).is_err());
    }
}
