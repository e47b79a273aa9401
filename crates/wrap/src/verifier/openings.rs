//! The query openings of a native proof as one full Merkle path per query and tree.
//!
//! Plonky3 sends the paths of all queries pruned into one multiproof, whose shape depends on
//! which queries share nodes; a circuit must have one structure for every proof of a shape, so
//! the prover restores each query's full path (`restore_and_recompute_paths`, made for this)
//! and the circuit checks every path on its own against the root, which is at least as strong.

use geode_stark::config::wrap::{PallasWord, WrapCompress, WrapConfig, WrapHash};
use geode_stark::{StarkProofOf, Val};
use p3_field::BasedVectorSpace;
use p3_matrix::Dimensions;
use p3_merkle_tree::MerkleTreeMmcs;
use pasta_curves::Fp;

use super::shape::Shape;
use super::transcript::Ext;
use crate::WrapError;

type ValMmcs = MerkleTreeMmcs<Val, PallasWord, WrapHash, WrapCompress, 2, 1>;

/// One query's opening of one input commitment.
#[derive(Clone, Debug)]
pub struct InputOpening<K, W> {
    /// The opened row of each matrix (base values), in the commitment's matrix order.
    pub rows: Vec<Vec<K>>,
    /// The siblings from the leaf up.
    pub path: Vec<W>,
}

/// One query's opening of one FRI round.
#[derive(Clone, Debug)]
pub struct RoundOpening<K, W> {
    /// The other evaluation of the folded pair.
    pub sibling: Ext<K>,
    /// The siblings from the leaf up.
    pub path: Vec<W>,
}

/// Everything one query opens.
#[derive(Clone, Debug)]
pub struct QueryOpening<K, W> {
    /// One opening per input commitment (trace, quotient, preprocessed, LogUp).
    pub inputs: Vec<InputOpening<K, W>>,
    /// One opening per FRI round.
    pub rounds: Vec<RoundOpening<K, W>>,
}

fn mmcs() -> ValMmcs {
    ValMmcs::new(WrapHash, WrapCompress, 0)
}

fn words(path: &[[PallasWord; 1]]) -> Vec<Fp> {
    path.iter().map(|[w]| w.0).collect()
}

/// Each query's openings for the query `indices` the transcript drew: the input commitments'
/// rows with full paths, and each FRI round's sibling value. The rounds' paths need the rows
/// the verifier computes ([`super::fri::fold_queries`]); [`restore_round_paths`] adds them.
///
/// # Errors
/// If the proof's openings do not fit the shape (a proof the native verifier rejects).
pub fn query_openings(
    proof: &StarkProofOf<WrapConfig>,
    shape: &Shape,
    indices: &[usize],
) -> Result<Vec<QueryOpening<Val, Fp>>, WrapError> {
    let fri = &proof.inner.opening_proof;
    let bad = |what: String| WrapError::Shape(what);
    let blowup = shape.params.log_blowup;
    let global = shape.index_bits;
    let mut queries: Vec<QueryOpening<Val, Fp>> = indices
        .iter()
        .map(|_| QueryOpening {
            inputs: Vec::new(),
            rounds: Vec::new(),
        })
        .collect();
    let batches = shape.input_log_heights();
    if fri.input_openings.len() != batches.len() {
        return Err(bad(format!("{} input openings", fri.input_openings.len())));
    }
    for (batch, (opening, heights)) in fri.input_openings.iter().zip(&batches).enumerate() {
        let first = opening
            .opened_values
            .first()
            .ok_or_else(|| bad(format!("batch {batch}: no queries")))?;
        let dims: Vec<Dimensions> = first
            .iter()
            .map(Vec::len)
            .zip(heights)
            .map(|(width, &h)| Dimensions {
                width,
                height: 1 << (h + blowup),
            })
            .collect();
        let max = heights.iter().max().map_or(0, |h| h + blowup);
        let reduced: Vec<usize> = indices.iter().map(|i| i >> (global - max)).collect();
        let paths = mmcs()
            .restore_and_recompute_paths(
                &dims,
                &reduced,
                &opening.opened_values,
                &opening.opening_proof,
            )
            .map_err(|e| bad(format!("batch {batch}: {e:?}")))?;
        for ((q, rows), path) in queries.iter_mut().zip(&opening.opened_values).zip(paths) {
            q.inputs.push(InputOpening {
                rows: rows.clone(),
                path: words(&path.siblings),
            });
        }
    }
    for (round, opening) in fri.commit_phase_openings.iter().enumerate() {
        for (q, query) in queries.iter_mut().enumerate() {
            let sibling = opening
                .sibling_values
                .get(q)
                .and_then(|s| s.first())
                .ok_or_else(|| bad(format!("round {round}: no sibling for query {q}")))?;
            let c = sibling.as_basis_coefficients_slice();
            query.rounds.push(RoundOpening {
                sibling: [c[0], c[1], c[2], c[3]],
                path: Vec::new(),
            });
        }
    }
    Ok(queries)
}

/// Adds each FRI round's full path to `queries`, given the rows the rounds commit
/// (`round_rows[query][round]`, the folded pair's 8 coefficients).
///
/// # Errors
/// If the proof's round openings do not fit (a proof the native verifier rejects).
pub fn restore_round_paths(
    proof: &StarkProofOf<WrapConfig>,
    shape: &Shape,
    indices: &[usize],
    round_rows: &[Vec<Vec<Val>>],
    queries: &mut [QueryOpening<Val, Fp>],
) -> Result<(), WrapError> {
    let fri = &proof.inner.opening_proof;
    for (round, opening) in fri.commit_phase_openings.iter().enumerate() {
        let height = shape.index_bits - round - 1;
        let opened: Vec<Vec<Vec<Val>>> =
            round_rows.iter().map(|r| vec![r[round].clone()]).collect();
        let reduced: Vec<usize> = indices.iter().map(|i| i >> (round + 1)).collect();
        let dims = [Dimensions {
            width: 8,
            height: 1 << height,
        }];
        let paths = mmcs()
            .restore_and_recompute_paths(&dims, &reduced, &opened, &opening.opening_proof)
            .map_err(|e| WrapError::Shape(format!("round {round}: {e:?}")))?;
        for (query, path) in queries.iter_mut().zip(paths) {
            query.rounds[round].path = words(&path.siblings);
        }
    }
    Ok(())
}

impl<K: Copy, W: Copy> QueryOpening<K, W> {
    /// The same opening with every value mapped by `kb` and every digest by `word`.
    pub fn map<K2: Copy, W2: Copy>(
        &self,
        kb: &mut impl FnMut(K) -> K2,
        word: &mut impl FnMut(W) -> W2,
    ) -> QueryOpening<K2, W2> {
        QueryOpening {
            inputs: self
                .inputs
                .iter()
                .map(|i| InputOpening {
                    rows: i
                        .rows
                        .iter()
                        .map(|r| r.iter().map(|&v| kb(v)).collect())
                        .collect(),
                    path: i.path.iter().map(|&w| word(w)).collect(),
                })
                .collect(),
            rounds: self
                .rounds
                .iter()
                .map(|r| RoundOpening {
                    sibling: r.sibling.map(&mut *kb),
                    path: r.path.iter().map(|&w| word(w)).collect(),
                })
                .collect(),
        }
    }
}
