//! Stage 3: the out-of-domain check. For every chip: its constraints and LogUp's, evaluated at
//! `zeta` from their symbolic form and folded by the constraint challenge in the order
//! `p3-batch-stark` folds them (the chip's own, then LogUp's), must equal the quotient
//! recomposed from its chunks times the vanishing polynomial; and the LogUp terminals of all
//! chips must sum to zero.
//!
//! # Soundness
//! This is `VerifierData::verify_constraints_with_lookups` and `verify_terminal_sum`: the same
//! Lagrange selectors, the same bus prefixes (`alpha + (k + 1)·beta^w` for bus `k`), the same
//! quotient recomposition. The constraints come from the chips' own `eval` through Plonky3's
//! symbolic builder, so no constraint is written twice. `zeta` in the trace domain is rejected:
//! the vanishing polynomial must be invertible.

use std::collections::HashMap;

use geode_stark::config::wrap::WrapConfig;
use geode_stark::{Challenge, StarkAir, Val};
use p3_air::symbolic::{
    AirLayout, BaseEntry, BaseLeaf, ExtEntry, ExtLeaf, SymbolicExpr, SymbolicExpression,
    SymbolicExpressionExt,
};
use p3_batch_stark::symbolic::get_symbolic_constraints;
use p3_field::{BasedVectorSpace, Field, PrimeCharacteristicRing, TwoAdicField};
use p3_lookup::LogUpGadget;

use super::backend::Backend;
use super::proof::ProofView;
use super::shape::Shape;
use super::transcript::{Challenges, Ext};
use crate::WrapError;

/// One chip's constraints in symbolic form: its own (base field), then LogUp's (extension).
#[derive(Clone, Debug)]
pub struct AirConstraints {
    /// The base-field constraints, in order.
    pub base: Vec<SymbolicExpression<Val>>,
    /// The extension-field constraints, in order.
    pub ext: Vec<SymbolicExpressionExt<Val, Challenge>>,
}

/// Every chip's constraints, as the verifier folds them.
///
/// # Errors
/// If Plonky3 cannot lay the chips out.
pub fn constraints<A: StarkAir<WrapConfig>>(
    shape: &Shape,
    airs: &[A],
) -> Result<Vec<AirConstraints>, WrapError> {
    let config = geode_stark::config::wrap::config(&shape.params);
    let heights: Vec<usize> = shape.instances.iter().map(|i| i.log_height).collect();
    let data = geode_stark::prover_data(&config, airs, &heights)
        .map_err(|e| WrapError::Shape(e.to_string()))?;
    Ok(airs
        .iter()
        .zip(&shape.instances)
        .zip(&data.common.lookups)
        .map(|((air, inst), lookups)| {
            let layout = AirLayout {
                preprocessed_width: inst.preprocessed_width,
                main_width: inst.width,
                num_public_values: inst.num_public_values,
                ..Default::default()
            };
            let (base, ext) = get_symbolic_constraints::<Val, Challenge, A, _>(
                air,
                layout,
                lookups,
                &LogUpGadget::new(),
            );
            AirConstraints { base, ext }
        })
        .collect())
}

/// The values a chip's constraints read.
struct Env<'a, B: Backend> {
    trace_local: Vec<B::E>,
    trace_next: Vec<B::E>,
    pre_local: Vec<B::E>,
    pre_next: Vec<B::E>,
    perm_local: Vec<B::E>,
    perm_next: Vec<B::E>,
    perm_challenges: &'a [B::E],
    perm_values: Vec<B::E>,
    public: Vec<B::E>,
    is_first_row: B::E,
    is_last_row: B::E,
    is_transition: B::E,
    zero: B::E,
}

/// Evaluates symbolic expressions once per shared node.
struct Evaluator<'a, 'b, B: Backend> {
    env: &'a Env<'b, B>,
    base_memo: HashMap<*const SymbolicExpression<Val>, B::E>,
    ext_memo: HashMap<*const SymbolicExpressionExt<Val, Challenge>, B::E>,
}

impl<B: Backend> Evaluator<'_, '_, B> {
    fn base(&mut self, b: &mut B, e: &SymbolicExpression<Val>) -> B::E {
        let key = e as *const _;
        if let Some(v) = self.base_memo.get(&key) {
            return v.clone();
        }
        let v = match e {
            SymbolicExpr::Leaf(leaf) => match leaf {
                BaseLeaf::Variable(var) => {
                    let env = self.env;
                    let pick = |local: &[B::E], next: &[B::E], offset: usize| {
                        let row = if offset == 0 { local } else { next };
                        row.get(var.index)
                            .cloned()
                            .unwrap_or_else(|| env.zero.clone())
                    };
                    match var.entry {
                        BaseEntry::Main { offset } => {
                            pick(&env.trace_local, &env.trace_next, offset)
                        }
                        BaseEntry::Preprocessed { offset } => {
                            pick(&env.pre_local, &env.pre_next, offset)
                        }
                        BaseEntry::Public => env.public[var.index].clone(),
                        BaseEntry::Periodic => unreachable!("the shape has no periodic columns"),
                    }
                }
                BaseLeaf::IsFirstRow => self.env.is_first_row.clone(),
                BaseLeaf::IsLastRow => self.env.is_last_row.clone(),
                BaseLeaf::IsTransition => self.env.is_transition.clone(),
                BaseLeaf::Constant(c) => b.ext_const(Challenge::from(*c)),
            },
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.base(b, x), self.base(b, y));
                b.ext_add(&x, &y)
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.base(b, x), self.base(b, y));
                b.ext_sub(&x, &y)
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.base(b, x);
                b.ext_sub(&self.env.zero, &x)
            }
            SymbolicExpr::Mul { x, y, .. } => self.mul_base(b, x, y),
        };
        self.base_memo.insert(key, v.clone());
        v
    }

    /// A product, by a base constant when one side is one.
    fn mul_base(
        &mut self,
        b: &mut B,
        x: &SymbolicExpression<Val>,
        y: &SymbolicExpression<Val>,
    ) -> B::E {
        let constant = |e: &SymbolicExpression<Val>| match e {
            SymbolicExpr::Leaf(BaseLeaf::Constant(c)) => Some(*c),
            _ => None,
        };
        match (constant(x), constant(y)) {
            (Some(c), _) => {
                let y = self.base(b, y);
                let c = b.constant(c);
                b.ext_mul_base(&y, c)
            }
            (_, Some(c)) => {
                let x = self.base(b, x);
                let c = b.constant(c);
                b.ext_mul_base(&x, c)
            }
            _ => {
                let (x, y) = (self.base(b, x), self.base(b, y));
                b.ext_mul(&x, &y)
            }
        }
    }

    fn ext(&mut self, b: &mut B, e: &SymbolicExpressionExt<Val, Challenge>) -> B::E {
        let key = e as *const _;
        if let Some(v) = self.ext_memo.get(&key) {
            return v.clone();
        }
        let v = match e {
            SymbolicExpr::Leaf(leaf) => match leaf {
                ExtLeaf::Base(inner) => self.base(b, inner),
                ExtLeaf::ExtVariable(var) => {
                    let env = self.env;
                    match var.entry {
                        ExtEntry::Permutation { offset } => {
                            let row = if offset == 0 {
                                &env.perm_local
                            } else {
                                &env.perm_next
                            };
                            row[var.index].clone()
                        }
                        ExtEntry::Challenge => env.perm_challenges[var.index].clone(),
                        ExtEntry::PermutationValue => env.perm_values[var.index].clone(),
                    }
                }
                ExtLeaf::ExtConstant(c) => b.ext_const(*c),
            },
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.ext(b, x), self.ext(b, y));
                b.ext_add(&x, &y)
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.ext(b, x), self.ext(b, y));
                b.ext_sub(&x, &y)
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.ext(b, x);
                b.ext_sub(&self.env.zero, &x)
            }
            SymbolicExpr::Mul { x, y, .. } => {
                let (x, y) = (self.ext(b, x), self.ext(b, y));
                b.ext_mul(&x, &y)
            }
        };
        self.ext_memo.insert(key, v.clone());
        v
    }
}

/// `x^(2^k)`.
fn exp_power_of_2<B: Backend>(b: &mut B, x: &B::E, k: usize) -> B::E {
    let mut y = x.clone();
    for _ in 0..k {
        y = b.ext_mul(&y, &y);
    }
    y
}

/// Recomposes a flattened LogUp row: each four consecutive values are the basis coefficients
/// (in the extension) of one extension column.
fn recompose<B: Backend>(b: &mut B, flat: &[Ext<B::Kb>]) -> Vec<B::E> {
    let basis: Vec<B::E> = (0..4)
        .map(|k| {
            let mut c = [Val::ZERO; 4];
            c[k] = Val::ONE;
            b.ext_const(Challenge::from_basis_coefficients_fn(|i| c[i]))
        })
        .collect();
    flat.chunks_exact(4)
        .map(|chunk| {
            let mut acc = b.ext_const(Challenge::ZERO);
            for (c, basis) in chunk.iter().zip(&basis) {
                let c = b.ext(c);
                let t = b.ext_mul(&c, basis);
                acc = b.ext_add(&acc, &t);
            }
            acc
        })
        .collect()
}

/// Checks every chip's constraints at `zeta` and the LogUp terminal sum.
///
/// # Panics
/// If the proof's dimensions disagree with the shape (the caller loads proofs of the shape).
pub fn check_constraints<B: Backend>(
    b: &mut B,
    shape: &Shape,
    constraints: &[AirConstraints],
    proof: &ProofView<B::Kb, B::Word>,
    challenges: &Challenges<B::Kb, B::Bits>,
) {
    let zeta = b.ext(&challenges.zeta);
    let alpha = b.ext(&challenges.constraint_alpha);
    let zero = b.ext_const(Challenge::ZERO);
    let one = b.ext_const(Challenge::ONE);

    // The bus prefixes: alpha + (k + 1)·beta^w.
    let bus_challenges: Vec<B::E> = match &challenges.lookup {
        Some((lookup_alpha, beta)) => {
            let la = b.ext(lookup_alpha);
            let beta = b.ext(beta);
            let mut gamma = one.clone();
            for _ in 0..shape.max_message_width {
                gamma = b.ext_mul(&gamma, &beta);
            }
            let mut prefix = la;
            let mut out = vec![beta];
            for _ in 0..shape.num_buses {
                prefix = b.ext_add(&prefix, &gamma);
                out.push(prefix.clone());
            }
            out
        }
        None => Vec::new(),
    };

    let mut terminal_sum = zero.clone();
    for (i, (inst, cons)) in shape.instances.iter().zip(constraints).enumerate() {
        let o = &proof.instances[i];
        let h = inst.log_height;
        let g_inv = Val::two_adic_generator(h).inverse();

        // Lagrange selectors of the trace domain (shift 1) at zeta.
        let zeta_n = exp_power_of_2(b, &zeta, h);
        let z_h = b.ext_sub(&zeta_n, &one);
        let zeta_minus_one = b.ext_sub(&zeta, &one);
        let inv = b.ext_inv(&zeta_minus_one);
        let is_first_row = b.ext_mul(&z_h, &inv);
        let g_inv_e = b.ext_const(Challenge::from(g_inv));
        let is_transition = b.ext_sub(&zeta, &g_inv_e);
        let inv = b.ext_inv(&is_transition);
        let is_last_row = b.ext_mul(&z_h, &inv);
        let inv_vanishing = b.ext_inv(&z_h);

        let exts =
            |b: &mut B, v: &[Ext<B::Kb>]| -> Vec<B::E> { v.iter().map(|c| b.ext(c)).collect() };
        let trace_local = exts(b, &o.trace_local);
        let trace_next = o
            .trace_next
            .as_deref()
            .map(|v| exts(b, v))
            .unwrap_or_default();
        let pre_local = o
            .preprocessed_local
            .as_deref()
            .map(|v| exts(b, v))
            .unwrap_or_default();
        let pre_next = o
            .preprocessed_next
            .as_deref()
            .map(|v| exts(b, v))
            .unwrap_or_default();
        let perm_local = recompose(b, &o.permutation_local);
        let perm_next = recompose(b, &o.permutation_next);
        let perm_challenges: Vec<B::E> = shape.lookup_buses[i]
            .iter()
            .flat_map(|&bus| [bus_challenges[bus + 1].clone(), bus_challenges[0].clone()])
            .collect();
        let perm_values: Vec<B::E> = o_terminal(b, proof, i);
        for t in &perm_values {
            terminal_sum = b.ext_add(&terminal_sum, t);
        }
        let public = proof.public_values[i]
            .iter()
            .map(|&v| b.ext_from_base(v))
            .collect();
        let env = Env::<B> {
            trace_local,
            trace_next,
            pre_local,
            pre_next,
            perm_local,
            perm_next,
            perm_challenges: &perm_challenges,
            perm_values,
            public,
            is_first_row,
            is_last_row,
            is_transition,
            zero: zero.clone(),
        };
        let mut eval = Evaluator {
            env: &env,
            base_memo: HashMap::new(),
            ext_memo: HashMap::new(),
        };
        let mut acc = zero.clone();
        for c in &cons.base {
            let v = eval.base(b, c);
            acc = b.ext_mul(&acc, &alpha);
            acc = b.ext_add(&acc, &v);
        }
        for c in &cons.ext {
            let v = eval.ext(b, c);
            acc = b.ext_mul(&acc, &alpha);
            acc = b.ext_add(&acc, &v);
        }
        let folded = b.ext_mul(&acc, &inv_vanishing);

        // The quotient from its chunks: chunk j lives on the coset GENERATOR·ω^j·H of the
        // quotient domain split in 2^c; its weight is Π_{k≠j} Z_k(zeta) / Z_k(first point of j).
        let c = inst.log_num_quotient_chunks;
        let n_chunks = 1usize << c;
        let quotient_gen = Val::two_adic_generator(h + c);
        let shifts: Vec<Val> = (0..n_chunks)
            .map(|j| Val::GENERATOR * quotient_gen.exp_u64(j as u64))
            .collect();
        // Z_k(x) = (x / shift_k)^(2^h) − 1.
        let z_at_zeta: Vec<B::E> = shifts
            .iter()
            .map(|s| {
                let s_inv_n = b.constant(s.inverse().exp_power_of_2(h));
                let t = b.ext_mul_base(&zeta_n, s_inv_n);
                b.ext_sub(&t, &one)
            })
            .collect();
        let mut quotient = zero.clone();
        for (j, chunk) in o.quotient_chunks.iter().enumerate() {
            let mut weight = one.clone();
            for (k, z) in z_at_zeta.iter().enumerate() {
                if k != j {
                    let at_first = (shifts[j] * shifts[k].inverse()).exp_power_of_2(h) - Val::ONE;
                    let inv = b.constant(at_first.inverse());
                    let t = b.ext_mul_base(z, inv);
                    weight = b.ext_mul(&weight, &t);
                }
            }
            let value = recompose(b, chunk).remove(0);
            let t = b.ext_mul(&weight, &value);
            quotient = b.ext_add(&quotient, &t);
        }
        b.ext_assert_eq(&folded, &quotient);
    }
    b.ext_assert_eq(&terminal_sum, &zero);
}

fn o_terminal<B: Backend>(b: &mut B, proof: &ProofView<B::Kb, B::Word>, i: usize) -> Vec<B::E> {
    proof.lookup_terminals[i].iter().map(|t| b.ext(t)).collect()
}
