//! Geode's patch: the prover's evaluation of the LogUp constraints with hoisted powers of beta.
//!
//! [`HoistedLogUp`] emits exactly the constraints of [`LogUpGadget`], in the same order and with
//! the same values, so a proof made with it verifies against [`LogUpGadget`]. Only the
//! arithmetic differs, and it is what the quotient evaluation spends its time on:
//!
//! - a tuple is combined as `e_{k-1} + Σ_{i<k-1} β^{k-1-i}·e_i` with the powers read from the
//!   challenge slice (extension × base products) instead of the Horner fold
//!   `acc·β + e_i` (extension × extension products);
//! - the elements, multiplicities and flags stay base-field expressions until they meet an
//!   extension value, and no product by one is formed.
//!
//! It reads its challenges in its own layout ([`HoistedLogUp::extend_challenges`]): one block of
//! [`HoistedLogUp::BLOCK`] values per lookup column, `[α, β, β², …]`. The prover builds that
//! slice once per AIR, so the powers cost nothing per row.

use alloc::vec::Vec;

use p3_air::{PermutationAirBuilder, SymbolicExpression, WindowAccess};
use p3_field::{ExtensionField, Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;

use crate::logup::LogUpGadget;
use crate::protocol::LookupProtocol;
use crate::types::{Lookup, LookupError, LookupTerminal};

/// The LogUp constraints of [`LogUpGadget`], evaluated with hoisted powers of beta (see the
/// module docs). Use it only where the builder's permutation randomness is laid out by
/// [`HoistedLogUp::extend_challenges`].
#[derive(Debug, Clone, Copy, Default)]
pub struct HoistedLogUp;

impl HoistedLogUp {
    /// Challenge values per lookup column: `α`, then `β^1 ..= β^(BLOCK-1)`. Tuples up to
    /// `BLOCK` elements wide use the powers; wider ones fall back to a Horner fold.
    pub const BLOCK: usize = 32;

    /// The challenge slice this gadget reads, from [`LogUpGadget`]'s `[α_0, β_0, α_1, β_1, …]`.
    pub fn extend_challenges<EF: Field>(challenges: &[EF]) -> Vec<EF> {
        assert!(challenges.len().is_multiple_of(2), "LogUp challenges come in (alpha, beta) pairs");
        let mut out = Vec::with_capacity(challenges.len() / 2 * Self::BLOCK);
        for pair in challenges.chunks_exact(2) {
            out.push(pair[0]);
            out.extend(pair[1].powers().skip(1).take(Self::BLOCK - 1));
        }
        out
    }
}

/// `acc·t`, where `None` is the empty product (so no product by one is formed).
fn times<E: core::ops::Mul<Output = E>>(acc: Option<E>, t: E) -> E {
    match acc {
        Some(acc) => acc * t,
        None => t,
    }
}

impl LookupProtocol for HoistedLogUp {
    fn num_challenges(&self) -> usize {
        LogUpGadget.num_challenges()
    }

    /// The constraint of [`LogUpGadget::eval_fraction`]: `U·f − V = 0` with
    /// `V/U = Σ_i m_i/(α − combine_i)` (or the selected branch's fraction for an exclusive
    /// column), with the same `U` and `V`.
    fn eval_fraction<AB>(&self, builder: &mut AB, lookup: &Lookup<AB::F>)
    where
        AB: PermutationAirBuilder,
    {
        let Lookup {
            elements,
            multiplicities,
            column,
            flags,
            ..
        } = lookup;
        assert_eq!(
            elements.len(),
            multiplicities.len(),
            "Mismatched lengths: elements and multiplicities must have same length"
        );

        let (numerator, denominator) = {
            let b: &AB = builder;
            let randomness = b.permutation_randomness();
            let block = &randomness[column * Self::BLOCK..(column + 1) * Self::BLOCK];
            let alpha: AB::ExprEF = block[0].into();
            // α − (e_{k-1} + Σ_{i<k-1} β^{k-1-i}·e_i), the same value as the Horner fold.
            let term = |elts: &[SymbolicExpression<AB::F>]| -> AB::ExprEF {
                let Some((last, leading)) = elts.split_last() else {
                    return alpha.clone();
                };
                let mut combined: AB::ExprEF = last.resolve(b).into();
                let k = elts.len();
                if k <= Self::BLOCK {
                    for (i, e) in leading.iter().enumerate() {
                        let power: AB::ExprEF = block[k - 1 - i].into();
                        combined += power * e.resolve(b);
                    }
                } else {
                    let beta: AB::ExprEF = block[1].into();
                    combined = elts.iter().fold(AB::ExprEF::ZERO, |acc, e| {
                        let e: AB::ExprEF = e.resolve(b).into();
                        acc * beta.clone() + e
                    });
                }
                alpha.clone() - combined
            };

            match flags {
                // Additive: V/U = Σ m_i / t_i, U = Π t_i, V = Σ m_i Π_{j≠i} t_j.
                None if elements.len() == 1 => {
                    (multiplicities[0].resolve(b).into(), term(&elements[0]))
                }
                None if elements.len() == 2 => {
                    let (t0, t1) = (term(&elements[0]), term(&elements[1]));
                    let (m0, m1) = (multiplicities[0].resolve(b), multiplicities[1].resolve(b));
                    (t1.clone() * m0 + t0.clone() * m1, t0 * t1)
                }
                None => {
                    let terms: Vec<AB::ExprEF> = elements.iter().map(|e| term(e)).collect();
                    let n = terms.len();
                    // prefix[i] = Π_{j<i} t_j and suffix[i] = Π_{j>=i} t_j (`None`: empty).
                    let mut prefix = Vec::with_capacity(n + 1);
                    prefix.push(None);
                    for t in &terms {
                        let next = times(prefix.last().cloned().flatten(), t.clone());
                        prefix.push(Some(next));
                    }
                    let mut suffix = alloc::vec![None; n + 1];
                    for i in (1..n).rev() {
                        suffix[i] = Some(times(suffix[i + 1].clone(), terms[i].clone()));
                    }
                    let mut numerator = AB::ExprEF::ZERO;
                    for (i, m) in multiplicities.iter().enumerate() {
                        let m = m.resolve(b);
                        numerator += match (prefix[i].clone(), suffix[i + 1].clone()) {
                            (None, None) => m.into(),
                            (Some(p), None) | (None, Some(p)) => p * m,
                            (Some(p), Some(s)) => p * s * m,
                        };
                    }
                    let denominator = prefix[n].clone().unwrap_or(AB::ExprEF::ONE);
                    (numerator, denominator)
                }
                // Exclusive: V = Σ flag_k·m_k, U = Σ flag_k·t_k + (1 − Σ flag_k).
                Some(flags) => {
                    assert_eq!(flags.len(), elements.len(), "one flag per branch");
                    let mut numerator = AB::Expr::ZERO;
                    let mut denominator = AB::ExprEF::ZERO;
                    let mut flag_sum = AB::Expr::ZERO;
                    for ((flag, elts), m) in flags.iter().zip(elements).zip(multiplicities) {
                        let flag = flag.resolve(b);
                        numerator += flag.clone() * m.resolve(b);
                        denominator += term(elts) * flag.clone();
                        flag_sum += flag;
                    }
                    denominator += AB::Expr::ONE - flag_sum;
                    (numerator.into(), denominator)
                }
            }
        };

        let frac_local: AB::ExprEF = builder.permutation().current(column + 1).unwrap().into();
        builder.assert_zero_ext(denominator * frac_local - numerator);
    }

    fn eval_accumulator<AB>(&self, builder: &mut AB, lookups: &[Lookup<AB::F>], terminal: AB::ExprEF)
    where
        AB: PermutationAirBuilder,
    {
        LogUpGadget.eval_accumulator(builder, lookups, terminal);
    }

    fn verify_terminal_sum<EF: Field>(
        &self,
        terminals: &[Option<LookupTerminal<EF>>],
    ) -> Result<(), LookupError> {
        LogUpGadget.verify_terminal_sum(terminals)
    }

    fn constraint_degree<F: Field>(&self, lookup: &Lookup<F>) -> usize {
        LogUpGadget.constraint_degree(lookup)
    }

    fn generate_permutation<F: Field, EF: ExtensionField<F>>(
        &self,
        main: &RowMajorMatrix<F>,
        preprocessed: &Option<RowMajorMatrix<F>>,
        public_values: &[F],
        lookups: &[Lookup<F>],
        challenges: &[EF],
    ) -> (RowMajorMatrix<EF>, Option<LookupTerminal<EF>>) {
        LogUpGadget.generate_permutation(main, preprocessed, public_values, lookups, challenges)
    }
}
