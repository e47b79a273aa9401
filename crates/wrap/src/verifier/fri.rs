//! Stage 2: the opening argument. For every query: the Merkle openings of the input
//! commitments, the reduced openings (the DEEP quotients `(p(z) − p(x)) / (z − x)` of every
//! claimed evaluation, batched by powers of the FRI `alpha` per height, as `p3-fri` does), the
//! binary folds down to the constant final polynomial, and the Merkle openings of every FRI
//! round.
//!
//! # Soundness
//! This is `p3-fri`'s `verify_fri` with `TwoAdicFriFolding`, arity 2 and a constant final
//! polynomial, with each query's Merkle paths checked in full rather than pruned (see
//! [`super::openings`]). Every equality the native verifier checks is a check here; the query
//! point `x` is computed from the sampled index bits, never witnessed.

use std::collections::BTreeMap;

use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing, TwoAdicField};

use super::backend::Backend;
use super::merkle::verify_rows;
use super::openings::QueryOpening;
use super::proof::ProofView;
use super::shape::Shape;
use super::transcript::{Challenges, Ext};

/// Where a claimed evaluation was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Point {
    Zeta,
    /// `zeta · g` for the trace domain of this log height.
    ZetaNext(usize),
}

/// One matrix of one input commitment and its claims.
struct MatrixClaims<'a, K> {
    batch: usize,
    /// log2 of the LDE height.
    log_lde: usize,
    points: Vec<(Point, &'a [Ext<K>])>,
}

fn claims<'a, K: Copy, W: Copy>(
    shape: &Shape,
    proof: &'a ProofView<K, W>,
) -> Vec<MatrixClaims<'a, K>> {
    let blowup = shape.params.log_blowup;
    let mut out = Vec::new();
    let mut push = |batch, log_h: usize, points| {
        out.push(MatrixClaims {
            batch,
            log_lde: log_h + blowup,
            points,
        });
    };
    for (inst, o) in shape.instances.iter().zip(&proof.instances) {
        let mut points = vec![(Point::Zeta, o.trace_local.as_slice())];
        if let Some(next) = &o.trace_next {
            points.push((Point::ZetaNext(inst.log_height), next.as_slice()));
        }
        push(0, inst.log_height, points);
    }
    for (inst, o) in shape.instances.iter().zip(&proof.instances) {
        for chunk in &o.quotient_chunks {
            push(1, inst.log_height, vec![(Point::Zeta, chunk.as_slice())]);
        }
    }
    let mut batch = 2;
    if shape.preprocessed_commitment.is_some() {
        for &i in &shape.preprocessed_instances {
            let (inst, o) = (&shape.instances[i], &proof.instances[i]);
            let mut points = Vec::new();
            if let Some(local) = &o.preprocessed_local {
                points.push((Point::Zeta, local.as_slice()));
            }
            if let Some(next) = &o.preprocessed_next {
                points.push((Point::ZetaNext(inst.log_height), next.as_slice()));
            }
            push(batch, inst.log_height, points);
        }
        batch += 1;
    }
    for (inst, o) in shape.instances.iter().zip(&proof.instances) {
        if inst.num_lookups > 0 {
            let points = vec![
                (Point::Zeta, o.permutation_local.as_slice()),
                (
                    Point::ZetaNext(inst.log_height),
                    o.permutation_next.as_slice(),
                ),
            ];
            push(batch, inst.log_height, points);
        }
    }
    out
}

/// Everything but the FRI rounds' Merkle paths: the input openings, the reduced openings, the
/// folds and the final polynomial. Returns the rows the rounds commit (`[query][round]`).
pub fn fold_queries<B: Backend>(
    b: &mut B,
    shape: &Shape,
    proof: &ProofView<B::Kb, B::Word>,
    challenges: &Challenges<B::Kb, B::Bits>,
    queries: &[QueryOpening<B::Kb, B::Word>],
) -> Vec<Vec<Vec<B::Kb>>> {
    let big_h = shape.index_bits;
    let claims = claims(shape, proof);
    let zeta = b.ext(&challenges.zeta);
    let alpha = b.ext(&challenges.fri_alpha);

    // The points: zeta, and zeta times each trace domain's generator that is used.
    let mut points: BTreeMap<Point, B::E> = BTreeMap::new();
    for m in &claims {
        for &(p, _) in &m.points {
            points.entry(p).or_insert_with(|| match p {
                Point::Zeta => zeta.clone(),
                Point::ZetaNext(h) => {
                    let g = b.constant(Val::two_adic_generator(h));
                    b.ext_mul_base(&zeta, g)
                }
            });
        }
    }

    // Powers of alpha, one ladder per LDE height (as p3-fri numbers them).
    let mut ladder: BTreeMap<usize, usize> = BTreeMap::new();
    for m in &claims {
        *ladder.entry(m.log_lde).or_default() +=
            m.points.iter().map(|(_, v)| v.len()).sum::<usize>();
    }
    let n_powers = ladder.values().copied().max().unwrap_or(0);
    let alpha_powers = b.ext_powers(&alpha, n_powers);

    // Each claim's alpha-combination at its point, once for all queries.
    let mut offsets: BTreeMap<usize, usize> = BTreeMap::new();
    let mut at_z: Vec<Vec<(Point, usize, B::E)>> = Vec::with_capacity(claims.len());
    for m in &claims {
        let mut per_point = Vec::new();
        for &(p, values) in &m.points {
            let offset = offsets.entry(m.log_lde).or_default();
            let start = *offset;
            *offset += values.len();
            let values: Vec<B::E> = values.iter().map(|v| b.ext(v)).collect();
            let acc = b.ext_dot(&alpha_powers[start..start + values.len()], &values);
            per_point.push((p, start, acc));
        }
        at_z.push(per_point);
    }

    let batch_heights = shape.input_log_heights();
    let blowup = shape.params.log_blowup;
    let roots: Vec<B::Word> = {
        let mut r = vec![proof.main_commitment, proof.quotient_commitment];
        r.extend(proof.preprocessed_commitment);
        r.extend(proof.permutation_commitment);
        r
    };
    let generator = b.constant(Val::GENERATOR);
    let two_inv = b.constant(Val::TWO.inverse());
    let minus_one = b.constant(Val::NEG_ONE);
    let one = b.constant(Val::ONE);
    let two = b.constant(Val::TWO);
    let final_value = b.ext(&proof.fri.final_poly[0]);

    let mut all_rows = Vec::with_capacity(queries.len());
    for (q, opening) in queries.iter().enumerate() {
        let bits = b.bits(&challenges.query_indices[q]);
        let bits = &bits[..big_h];

        // y = g_H^{rev_H(index)}; the point of height h is GENERATOR · y^{2^(H−h)}.
        let mut y = one;
        for (i, &bit) in bits.iter().enumerate() {
            let g = b.constant(Val::two_adic_generator(big_h).exp_power_of_2(big_h - 1 - i));
            let factor = b.kb_select(bit, g, one);
            y = b.kb_mul(y, factor);
        }
        let mut y_pow = vec![y]; // y_pow[k] = y^{2^k}
        for k in 1..=big_h {
            let prev = y_pow[k - 1];
            y_pow.push(b.kb_mul(prev, prev));
        }

        // Merkle openings of the input commitments.
        for (batch, input) in opening.inputs.iter().enumerate() {
            let lde: Vec<usize> = batch_heights[batch].iter().map(|h| h + blowup).collect();
            let max = lde.iter().copied().max().expect("a batch has matrices");
            verify_rows(
                b,
                roots[batch],
                &lde,
                &input.rows,
                &bits[big_h - max..],
                &input.path,
            );
        }

        // Reduced openings, one inverse per (height, point).
        let mut numerators: BTreeMap<(usize, Point), B::E> = BTreeMap::new();
        let mut matrix_in_batch = vec![0usize; roots.len()];
        for (m, per_point) in claims.iter().zip(&at_z) {
            let row = &opening.inputs[m.batch].rows[matrix_in_batch[m.batch]];
            matrix_in_batch[m.batch] += 1;
            // A matrix's points open the same row with consecutive runs of powers, so the sum
            // at a later point is the first one's times alpha^(its offset): one product
            // instead of a dot product.
            let Some(first) = per_point.first().map(|point| point.1) else {
                continue;
            };
            let sum_first = b.ext_dot_base(&alpha_powers[first..first + row.len()], row);
            for (p, start, sum_z) in per_point {
                let sum_x = if *start == first {
                    sum_first.clone()
                } else {
                    b.ext_mul(&alpha_powers[*start - first], &sum_first)
                };
                let diff = b.ext_sub(sum_z, &sum_x);
                let key = (m.log_lde, *p);
                let acc = match numerators.remove(&key) {
                    Some(acc) => b.ext_add(&acc, &diff),
                    None => diff,
                };
                numerators.insert(key, acc);
            }
        }
        let mut reduced: BTreeMap<usize, B::E> = BTreeMap::new();
        for ((h, p), num) in numerators {
            let x = b.kb_mul(generator, y_pow[big_h - h]);
            let x = b.ext_from_base(x);
            let den = b.ext_sub(&points[&p], &x);
            let inv = b.ext_inv(&den);
            let term = b.ext_mul(&num, &inv);
            let acc = match reduced.remove(&h) {
                Some(acc) => b.ext_add(&acc, &term),
                None => term,
            };
            reduced.insert(h, acc);
        }

        // The folds.
        let mut folded = reduced
            .remove(&big_h)
            .expect("the tallest matrices open at the top");
        let mut rows = Vec::with_capacity(shape.fri_rounds);
        for (r, beta) in challenges.fri_betas.iter().enumerate() {
            let bit = bits[r];
            let beta = b.ext(beta);
            let sibling = b.ext(&opening.rounds[r].sibling);
            let lo = b.ext_select(bit, &sibling, &folded);
            let hi = b.ext_select(bit, &folded, &sibling);
            let mut row = b.ext_coeffs(&lo).to_vec();
            row.extend(b.ext_coeffs(&hi));
            rows.push(row);
            // The pair's points are ±s with s = y^{2^r} · (−1)^bit.
            let sign = b.kb_select(bit, minus_one, one);
            let s = b.kb_mul(y_pow[r], sign);
            let two_s = b.kb_mul(s, two);
            let inv_two_s = b.kb_inv(two_s);
            let sum = b.ext_add(&lo, &hi);
            let half_sum = b.ext_mul_base(&sum, two_inv);
            let diff = b.ext_sub(&lo, &hi);
            let t = b.ext_mul(&diff, &beta);
            let t = b.ext_mul_base(&t, inv_two_s);
            folded = b.ext_add(&half_sum, &t);
            if let Some(ro) = reduced.remove(&(big_h - r - 1)) {
                let beta2 = b.ext_mul(&beta, &beta);
                let t = b.ext_mul(&beta2, &ro);
                folded = b.ext_add(&folded, &t);
            }
        }
        b.ext_assert_eq(&folded, &final_value);
        all_rows.push(rows);
    }
    all_rows
}

/// Checks each query's FRI-round rows against the round commitments.
pub fn check_round_paths<B: Backend>(
    b: &mut B,
    shape: &Shape,
    proof: &ProofView<B::Kb, B::Word>,
    challenges: &Challenges<B::Kb, B::Bits>,
    queries: &[QueryOpening<B::Kb, B::Word>],
    rows: &[Vec<Vec<B::Kb>>],
) {
    let big_h = shape.index_bits;
    for (q, opening) in queries.iter().enumerate() {
        let bits = b.bits(&challenges.query_indices[q]);
        for (r, root) in proof.fri.commitments.iter().enumerate() {
            let h = big_h - r - 1;
            verify_rows(
                b,
                *root,
                &[h],
                std::slice::from_ref(&rows[q][r]),
                &bits[r + 1..big_h],
                &opening.rounds[r].path,
            );
        }
    }
}
