//! Merkle openings against `p3-merkle-tree` under the wrap configuration's MMCS.

use ff::Field;
use geode_stark::config::wrap::{PallasWord, WrapCompress, WrapHash};
use geode_stark::{Challenge, Val};
use p3_commit::{ExtensionMmcs, Mmcs};
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use p3_merkle_tree::MerkleTreeMmcs;
use proptest::test_runner::TestRng;

use super::{koala, random_val, rng, satisfied};
use crate::ctx::{Ctx, Fp, Var};
use crate::hash::{compress, hash_row, verify_batch};

/// The wrap configuration's base-field MMCS (private in `geode_stark`, rebuilt here).
type ValMmcs = MerkleTreeMmcs<Val, PallasWord, WrapHash, WrapCompress, 2, 1>;
type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;

fn val_mmcs() -> ValMmcs {
    ValMmcs::new(WrapHash, WrapCompress, 0)
}

/// How an opening is presented to the circuit: possibly corrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Corruption {
    None,
    /// Add one to an opened value (matrix, column).
    Value(usize, usize),
    /// Add one to the sibling at a level.
    Sibling(usize),
    /// Flip the index bit of a level.
    IndexBit(usize),
}

/// Verifies an opening in the circuit: `rows` (flattened to base-field values) of matrices of
/// `log_heights` at `index` against `root`, with the proof `siblings`.
fn verify_in_circuit(
    root: Fp,
    index: usize,
    rows: &[Vec<Val>],
    log_heights: &[usize],
    siblings: &[Fp],
    corruption: Corruption,
) -> Ctx {
    let mut ctx = Ctx::new();
    let root = ctx.witness(root);
    ctx.expose_public(root);
    let mut index = index;
    if let Corruption::IndexBit(level) = corruption {
        index ^= 1 << level;
    }
    let bits: Vec<Var> = (0..siblings.len())
        .map(|level| {
            let bit = ctx.witness(Fp::from(((index >> level) & 1) as u64));
            ctx.assert_bool(bit);
            bit
        })
        .collect();
    let rows: Vec<Vec<Var>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, &v)| {
                    let mut v = v;
                    if corruption == Corruption::Value(i, j) {
                        v += Val::ONE;
                    }
                    koala(&mut ctx, v)
                })
                .collect()
        })
        .collect();
    let siblings: Vec<Var> = siblings
        .iter()
        .enumerate()
        .map(|(level, &s)| {
            let s = if corruption == Corruption::Sibling(level) {
                s + Fp::ONE
            } else {
                s
            };
            ctx.witness(s)
        })
        .collect();
    verify_batch(&mut ctx, root, &bits, &rows, log_heights, &siblings);
    ctx
}

fn random_matrix(rng: &mut TestRng, height: usize, width: usize) -> RowMajorMatrix<Val> {
    RowMajorMatrix::new(
        (0..height * width).map(|_| random_val(rng)).collect(),
        width,
    )
}

/// Matrices of three heights (two of the tallest, one of height 1), given out of order, under
/// the wrap configuration's MMCS: every opening verifies in the circuit, and none survives a
/// changed value, sibling or index bit.
#[test]
fn merkle_openings_of_several_heights_verify() {
    let mut rng = rng(1);
    // (height, width): 20 + 9 values at the leaves (two cells of two blocks), 3 at height 4,
    // 17 at height 1 (injected after the last level).
    let shapes = [(4, 3), (16, 20), (1, 17), (16, 9)];
    let matrices: Vec<_> = shapes
        .iter()
        .map(|&(h, w)| random_matrix(&mut rng, h, w))
        .collect();
    let dims: Vec<_> = matrices.iter().map(Matrix::dimensions).collect();
    let log_heights: Vec<usize> = shapes.iter().map(|&(h, _)| h.ilog2() as usize).collect();
    let mmcs = val_mmcs();
    let (commit, data) = mmcs.commit(matrices);
    let root = commit.roots()[0][0].0;
    for index in [0, 5, 10, 15] {
        let opening = mmcs.open_batch(index, &data);
        mmcs.verify_batch(&commit, &dims, index, (&opening).into())
            .expect("native");
        let siblings: Vec<Fp> = opening.opening_proof.iter().map(|[w]| w.0).collect();
        let check = |corruption| {
            satisfied(verify_in_circuit(
                root,
                index,
                &opening.opened_values,
                &log_heights,
                &siblings,
                corruption,
            ))
        };
        assert!(check(Corruption::None), "index {index}");
        for corruption in [
            Corruption::Value(1, 19),
            Corruption::Value(3, 0),
            Corruption::Value(0, 2),
            Corruption::Value(2, 16),
            Corruption::Sibling(0),
            Corruption::Sibling(3),
            Corruption::IndexBit(0),
            Corruption::IndexBit(2),
        ] {
            assert!(!check(corruption), "index {index}, {corruption:?}");
        }
    }
}

/// The FRI trees commit to extension-field matrices through `ExtensionMmcs`: the same check
/// verifies their openings, each value flattened to its four basis coefficients.
#[test]
fn extension_mmcs_openings_verify() {
    let mut rng = rng(2);
    let shapes = [(8, 2), (2, 1)];
    let matrices: Vec<RowMajorMatrix<Challenge>> = shapes
        .iter()
        .map(|&(h, w)| {
            let values = (0..h * w)
                .map(|_| Challenge::from_basis_coefficients_fn(|_| random_val(&mut rng)))
                .collect();
            RowMajorMatrix::new(values, w)
        })
        .collect();
    let dims: Vec<_> = matrices.iter().map(Matrix::dimensions).collect();
    let log_heights: Vec<usize> = shapes.iter().map(|&(h, _)| h.ilog2() as usize).collect();
    let mmcs = ChallengeMmcs::new(val_mmcs());
    let (commit, data) = mmcs.commit(matrices);
    let root = commit.roots()[0][0].0;
    for index in [3, 6] {
        let opening = mmcs.open_batch(index, &data);
        mmcs.verify_batch(&commit, &dims, index, (&opening).into())
            .expect("native");
        let rows: Vec<Vec<Val>> = opening
            .opened_values
            .iter()
            .map(|row| {
                row.iter()
                    .flat_map(|e| e.as_basis_coefficients_slice().to_vec())
                    .collect()
            })
            .collect();
        let siblings: Vec<Fp> = opening.opening_proof.iter().map(|[w]| w.0).collect();
        let check = |corruption| {
            satisfied(verify_in_circuit(
                root,
                index,
                &rows,
                &log_heights,
                &siblings,
                corruption,
            ))
        };
        assert!(check(Corruption::None), "index {index}");
        assert!(!check(Corruption::Value(0, 5)), "index {index}");
        assert!(!check(Corruption::IndexBit(1)), "index {index}");
    }
}

/// The leaf hash and compression agree with the native ones on rows of every length around
/// the block boundaries.
#[test]
fn row_hashes_and_compression_match_native() {
    let mut rng = rng(3);
    let mut ctx = Ctx::new();
    for n in [0, 1, 7, 8, 9, 15, 16, 17, 32, 33] {
        let row: Vec<Val> = (0..n).map(|_| random_val(&mut rng)).collect();
        let vars: Vec<Var> = row.iter().map(|&v| koala(&mut ctx, v)).collect();
        let digest = hash_row(&mut ctx, &vars);
        let native = geode_stark::config::wrap::poseidon::hash_values(row.iter().copied(), n);
        assert_eq!(ctx.value(digest), native, "n = {n}");
    }
    let (l, r) = (Fp::from(7), -Fp::from(3));
    let (lv, rv) = (ctx.witness(l), ctx.witness(r));
    let c = compress(&mut ctx, lv, rv);
    assert_eq!(
        ctx.value(c),
        geode_stark::config::wrap::poseidon::compress(l, r)
    );
    assert!(satisfied(ctx));
}
