//! Merkle openings of a batch of matrices of several heights under one root, as
//! `p3-merkle-tree`'s `MerkleTreeMmcs` (binary, cap height 0) checks them: the leaf is the hash
//! of the concatenated rows of the tallest matrices; at each layer whose height other matrices
//! have, the node becomes `compress(node, hash(their concatenated rows))`.

use super::backend::Backend;

/// Checks that `rows` (one per matrix, of log heights `log_heights` after blowup) are the rows
/// at the index whose little-endian bits are `index_bits` (as many as the tallest matrix's log
/// height) under `root`, with `path` the siblings from the leaf up.
///
/// # Panics
/// If the lengths disagree (the caller builds them from the shape).
pub fn verify_rows<B: Backend>(
    b: &mut B,
    root: B::Word,
    log_heights: &[usize],
    rows: &[Vec<B::Kb>],
    index_bits: &[B::Bit],
    path: &[B::Word],
) {
    assert_eq!(log_heights.len(), rows.len(), "one row per matrix");
    let max = log_heights
        .iter()
        .copied()
        .max()
        .expect("at least one matrix");
    assert_eq!(index_bits.len(), max, "one index bit per layer");
    assert_eq!(path.len(), max, "one sibling per layer");
    let layer = |h: usize| -> Vec<B::Kb> {
        log_heights
            .iter()
            .zip(rows)
            .filter(|&(&lh, _)| lh == h)
            .flat_map(|(_, r)| r.iter().copied())
            .collect()
    };
    let mut node = b.hash_row(&layer(max));
    for (level, (&bit, &sibling)) in index_bits.iter().zip(path).enumerate() {
        let (left, right) = b.swap_words(bit, node, sibling);
        node = b.compress(left, right);
        let h = max - level - 1;
        if log_heights.contains(&h) {
            let injected = b.hash_row(&layer(h));
            node = b.compress(node, injected);
        }
    }
    b.word_assert_eq(node, root);
}
