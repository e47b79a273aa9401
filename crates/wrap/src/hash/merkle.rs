//! Merkle trees of the wrap configuration in the circuit: the leaf hash, the compression and
//! `p3-merkle-tree`'s batch opening check for `MerkleTreeMmcs<Val, PallasWord, WrapHash,
//! WrapCompress, 2, 1>` with cap height 0 (`docs/wrap.md`, "Merkle leaf hash", "Merkle
//! compression").

use std::sync::LazyLock;

use ff::{Field, PrimeField};
use geode_stark::config::wrap::poseidon::{
    COMPRESS_TAG, VALUES_PER_BLOCK, VALUES_PER_CELL, hash_values,
};

use super::pack_terms;
use crate::ctx::{Ctx, Fp, Var};

/// The hash of an empty row: the first element of `permute([0, 0, 0])`, a constant.
static EMPTY_ROW_HASH: LazyLock<Fp> = LazyLock::new(|| hash_values(std::iter::empty(), 0));

/// The leaf hash of a row of KoalaBear values (`wrap::poseidon::hash_values`): a sponge started
/// at `[0, 0, n]` that absorbs the values packed 8 to a cell, two cells per permutation.
///
/// `⌈n / 16⌉` permutations (an empty row is a constant and costs nothing).
///
/// # Soundness
///
/// The values must be constrained below `2^31` (canonical, in practice) by the caller: the
/// packing `Σ v_i · 2^(31 i)` is a linear combination, injective only on such limbs. The length
/// `n` is a circuit constant.
pub fn hash_row(ctx: &mut Ctx, values: &[Var]) -> Var {
    if values.is_empty() {
        return ctx.constant(*EMPTY_ROW_HASH);
    }
    let mut rate: [Option<Var>; 2] = [None, None];
    let mut capacity = ctx.constant(Fp::from(values.len() as u64));
    for block in values.chunks(VALUES_PER_BLOCK) {
        let (lo, hi) = block.split_at(block.len().min(VALUES_PER_CELL));
        let s0 = absorb(ctx, rate[0], lo);
        let s1 = absorb(ctx, rate[1], hi);
        let [s0, s1, s2] = ctx.poseidon([s0, s1, capacity]);
        rate = [Some(s0), Some(s1)];
        capacity = s2;
    }
    rate[0].expect("a non-empty row absorbs a block")
}

/// `acc + pack(values)`, with a missing `acc` standing for zero.
fn absorb(ctx: &mut Ctx, acc: Option<Var>, values: &[Var]) -> Var {
    let mut terms = pack_terms(values);
    if let Some(acc) = acc {
        terms.insert(0, (Fp::ONE, acc));
    }
    match terms[..] {
        [] => ctx.constant(Fp::ZERO),
        [(k, v)] if k == Fp::ONE => v,
        _ => ctx.linear(&terms, Fp::ZERO),
    }
}

/// The 2-to-1 compression (`wrap::poseidon::compress`): the first element of
/// `poseidon([left, right, 2^65])`. One permutation.
pub fn compress(ctx: &mut Ctx, left: Var, right: Var) -> Var {
    let tag = ctx.constant(Fp::from_u128(COMPRESS_TAG));
    ctx.poseidon([left, right, tag])[0]
}

/// Checks a batch opening against a root, as `MerkleTreeMmcs::verify_batch` does for the wrap
/// configuration's binary trees with cap height 0.
///
/// - `index_bits`: the row index in the tallest matrix, little-endian, one bit per level
///   (`max(log_heights)` of them), each constrained boolean by the caller (as
///   [`super::Sponge::sample_bits`] does).
/// - `opened_rows[i]`: the opened row of matrix `i`, of height `2^log_heights[i]`, at row
///   `index >> (max_log_height - log_heights[i])`, values constrained canonical by the caller.
///   An extension-field matrix (`ExtensionMmcs`) contributes its row flattened to basis
///   coefficients.
/// - `siblings`: the opening proof, the sibling of the current node at each level from the
///   leaves up.
///
/// The walk is `p3`'s: the rows of the tallest matrices, concatenated in their given order,
/// hash to the leaf; each level compresses the node with its sibling, in the order the index
/// bit says; on reaching the height of shorter matrices their concatenated rows are hashed and
/// injected as `node ← compress(node, hash(rows))`. The result must equal `root`.
///
/// Cost per level: one select, one linear combination and one permutation, plus the leaf and
/// injected rows' hashes (`⌈n / 16⌉` permutations each).
///
/// # Soundness
///
/// With boolean index bits, the computed root is exactly the native one, so a passing check is
/// a native `verify_batch` success (up to Poseidon collisions): the shape (heights, widths,
/// path length) is fixed by the circuit, as the native verifier fixes it from the dimensions.
/// A non-boolean bit would let the prover choose the left child freely, hence the caller's
/// obligation.
///
/// # Panics
/// If the shapes disagree: no matrices, `log_heights` and `opened_rows` of different lengths,
/// or `index_bits` and `siblings` not one per level of the tallest matrix.
pub fn verify_batch(
    ctx: &mut Ctx,
    root: Var,
    index_bits: &[Var],
    opened_rows: &[Vec<Var>],
    log_heights: &[usize],
    siblings: &[Var],
) {
    assert_eq!(opened_rows.len(), log_heights.len(), "one row per matrix");
    let log_max = *log_heights.iter().max().expect("at least one matrix");
    assert_eq!(index_bits.len(), log_max, "one index bit per level");
    assert_eq!(siblings.len(), log_max, "one sibling per level");
    // The concatenated rows of the matrices of one height, in the given order (p3 sorts the
    // matrices tallest first with a stable sort).
    let rows_of_height = |log_height: usize| -> Option<Vec<Var>> {
        let mut rows = log_heights
            .iter()
            .zip(opened_rows)
            .filter(|&(&h, _)| h == log_height)
            .peekable();
        rows.peek()?;
        Some(rows.flat_map(|(_, row)| row.iter().copied()).collect())
    };

    let leaf = rows_of_height(log_max).expect("the tallest matrices");
    let mut node = hash_row(ctx, &leaf);
    for (level, (&bit, &sibling)) in index_bits.iter().zip(siblings).enumerate() {
        // bit = 1: the node is the right child.
        let left = ctx.select(bit, sibling, node);
        let right = ctx.linear(
            &[(Fp::ONE, node), (Fp::ONE, sibling), (-Fp::ONE, left)],
            Fp::ZERO,
        );
        node = compress(ctx, left, right);
        if let Some(rows) = rows_of_height(log_max - level - 1) {
            let injected = hash_row(ctx, &rows);
            node = compress(ctx, node, injected);
        }
    }
    ctx.assert_eq(node, root);
}
