//! Geode's patch: the prover's evaluation of the LogUp constraints.
//!
//! [`HoistedLogUp`] emits exactly the constraints of [`LogUpGadget`]'s `eval_all`, in the same
//! order and with the same values, so a proof made with it verifies against [`LogUpGadget`].
//! Only the work differs, and it is what the quotient evaluation spends its time on:
//!
//! - the lookups' expressions are compiled once per AIR into straight-line code ([`Tape`]) that
//!   computes each distinct subexpression once per row (subtrees the AIR shares between
//!   messages, repeated cells), instead of walking every tree with
//!   `SymbolicExpression::resolve` per field;
//! - a tuple is combined as `e_{k-1} + Σ_{i<k-1} β^{k-1-i}·e_i` with the powers read from the
//!   challenge slice (extension × base products) instead of the Horner fold `acc·β + e_i`
//!   (extension × extension products);
//! - the elements, multiplicities and flags stay base-field values until they meet an
//!   extension value, and no product by one is formed.
//!
//! It reads its challenges in its own layout ([`HoistedLogUp::extend_challenges`]): one block of
//! [`HoistedLogUp::BLOCK`] values per lookup column, `[α, β, β², …]`. The prover builds that
//! slice once per AIR, so the powers cost nothing per row.

use alloc::vec::Vec;

use hashbrown::HashMap;
use p3_air::symbolic::{BaseEntry, BaseLeaf, SymbolicExpr};
use p3_air::{Air, AirBuilder, PermutationAirBuilder, SymbolicExpression, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};

use crate::logup::LogUpGadget;
use crate::protocol::LookupProtocol;
use crate::types::Lookup;

/// One step of a [`Tape`]: a leaf read or an operation on earlier registers.
#[derive(Clone, Debug)]
enum Op<F> {
    Main { next: bool, col: usize },
    Preprocessed { next: bool, col: usize },
    Public(usize),
    Periodic(usize),
    IsFirstRow,
    IsLastRow,
    IsTransition,
    Constant(F),
    Add(usize, usize),
    Sub(usize, usize),
    Neg(usize),
    Mul(usize, usize),
}

/// Straight-line code for a set of expressions: register `i` holds the value of `ops[i]`.
#[derive(Clone, Debug)]
struct Tape<F> {
    ops: Vec<Op<F>>,
}

/// Builds a [`Tape`], each distinct subexpression once.
struct Compiler<'e, F> {
    ops: Vec<Op<F>>,
    /// Registers already holding a node (a subtree the AIR shares is one node).
    by_node: HashMap<*const SymbolicExpression<F>, usize>,
    /// Registers already holding a trace cell, public value or selector, by `(kind, index)`.
    by_cell: HashMap<(u8, usize), usize>,
    _expressions: core::marker::PhantomData<&'e SymbolicExpression<F>>,
}

impl<'e, F: Field> Compiler<'e, F> {
    fn push(&mut self, op: Op<F>) -> usize {
        self.ops.push(op);
        self.ops.len() - 1
    }

    /// The register that will hold `e`, compiling what is not compiled yet. Nodes are told
    /// apart by address, so every expression compiled must outlive the compiler (`'e`).
    fn compile(&mut self, e: &'e SymbolicExpression<F>) -> usize {
        let node = core::ptr::from_ref(e);
        if let Some(&reg) = self.by_node.get(&node) {
            return reg;
        }
        let reg = match e {
            SymbolicExpr::Leaf(leaf) => self.leaf(leaf),
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.compile(x), self.compile(y));
                self.push(Op::Add(x, y))
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.compile(x), self.compile(y));
                self.push(Op::Sub(x, y))
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.compile(x);
                self.push(Op::Neg(x))
            }
            SymbolicExpr::Mul { x, y, .. } => {
                let (x, y) = (self.compile(x), self.compile(y));
                self.push(Op::Mul(x, y))
            }
        };
        self.by_node.insert(node, reg);
        reg
    }

    fn leaf(&mut self, leaf: &BaseLeaf<F>) -> usize {
        let (key, op) = match leaf {
            BaseLeaf::Variable(v) => match v.entry {
                BaseEntry::Main { offset } => {
                    assert!(offset <= 1, "expressions cannot span more than two rows");
                    let next = offset == 1;
                    ((u8::from(next), v.index), Op::Main { next, col: v.index })
                }
                BaseEntry::Preprocessed { offset } => {
                    assert!(offset <= 1, "expressions cannot span more than two rows");
                    let next = offset == 1;
                    (
                        (2 + u8::from(next), v.index),
                        Op::Preprocessed { next, col: v.index },
                    )
                }
                BaseEntry::Public => ((4, v.index), Op::Public(v.index)),
                BaseEntry::Periodic => ((5, v.index), Op::Periodic(v.index)),
            },
            BaseLeaf::IsFirstRow => ((6, 0), Op::IsFirstRow),
            BaseLeaf::IsLastRow => ((7, 0), Op::IsLastRow),
            BaseLeaf::IsTransition => ((8, 0), Op::IsTransition),
            BaseLeaf::Constant(c) => return self.push(Op::Constant(*c)),
        };
        if let Some(&reg) = self.by_cell.get(&key) {
            return reg;
        }
        let reg = self.push(op);
        self.by_cell.insert(key, reg);
        reg
    }
}

impl<F: Field> Tape<F> {
    /// Every register's value on the builder's current row (what `resolve` would give), into
    /// `regs` (cleared first, so a caller can reuse it row after row).
    fn run_into<AB: AirBuilder<F = F>>(&self, builder: &AB, regs: &mut Vec<AB::Expr>) {
        let main = builder.main();
        let preprocessed = builder.preprocessed();
        regs.clear();
        regs.reserve(self.ops.len());
        for op in &self.ops {
            let value = match *op {
                Op::Main { next: false, col } => main.current(col).unwrap().into(),
                Op::Main { next: true, col } => main.next(col).unwrap().into(),
                Op::Preprocessed { next: false, col } => preprocessed.current(col).unwrap().into(),
                Op::Preprocessed { next: true, col } => preprocessed.next(col).unwrap().into(),
                Op::Public(i) => builder.public_values()[i].into(),
                Op::Periodic(i) => builder.periodic_values()[i].into(),
                Op::IsFirstRow => builder.is_first_row(),
                Op::IsLastRow => builder.is_last_row(),
                Op::IsTransition => builder.is_transition_window(2),
                Op::Constant(c) => AB::Expr::from(c),
                Op::Add(x, y) => regs[x].clone() + regs[y].clone(),
                Op::Sub(x, y) => regs[x].clone() - regs[y].clone(),
                Op::Neg(x) => -regs[x].clone(),
                Op::Mul(x, y) => regs[x].clone() * regs[y].clone(),
            };
            regs.push(value);
        }
    }
}

/// Where a lookup's values are on the tape.
#[derive(Clone, Debug)]
pub(crate) struct LookupRegs {
    pub(crate) column: usize,
    pub(crate) elements: Vec<Vec<usize>>,
    pub(crate) multiplicities: Vec<usize>,
    pub(crate) flags: Option<Vec<usize>>,
}

/// The LogUp constraints of [`LogUpGadget`] for one AIR's lookups, evaluated as the module docs
/// say. Use it only where the builder's permutation randomness is laid out by
/// [`HoistedLogUp::extend_challenges`].
#[derive(Clone, Debug)]
pub struct HoistedLogUp<'a, F: Field> {
    lookups: &'a [Lookup<F>],
    tape: Tape<F>,
    regs: Vec<LookupRegs>,
}

/// `acc·t`, where `None` is the empty product (so no product by one is formed).
fn times<E: core::ops::Mul<Output = E>>(acc: Option<E>, t: E) -> E {
    match acc {
        Some(acc) => acc * t,
        None => t,
    }
}

impl<'a, F: Field> HoistedLogUp<'a, F> {
    /// Challenge values per lookup column: `α`, then `β^1 ..= β^(BLOCK-1)`. Tuples up to
    /// `BLOCK` elements wide use the powers; wider ones fall back to a Horner fold.
    pub const BLOCK: usize = 32;

    /// Compiles `lookups` (one AIR's, in column order).
    pub fn new(lookups: &'a [Lookup<F>]) -> Self {
        let mut compiler = Compiler {
            ops: Vec::new(),
            by_node: HashMap::new(),
            by_cell: HashMap::new(),
            _expressions: core::marker::PhantomData,
        };
        let regs = lookups
            .iter()
            .map(|lookup| {
                assert_eq!(
                    lookup.elements.len(),
                    lookup.multiplicities.len(),
                    "Mismatched lengths: elements and multiplicities must have same length"
                );
                if let Some(flags) = &lookup.flags {
                    assert_eq!(flags.len(), lookup.elements.len(), "one flag per branch");
                }
                LookupRegs {
                    column: lookup.column,
                    elements: lookup
                        .elements
                        .iter()
                        .map(|tuple| tuple.iter().map(|e| compiler.compile(e)).collect())
                        .collect(),
                    multiplicities: lookup
                        .multiplicities
                        .iter()
                        .map(|m| compiler.compile(m))
                        .collect(),
                    flags: lookup
                        .flags
                        .as_ref()
                        .map(|flags| flags.iter().map(|f| compiler.compile(f)).collect()),
                }
            })
            .collect();
        let tape = Tape { ops: compiler.ops };
        Self {
            lookups,
            tape,
            regs,
        }
    }

    /// Every compiled register's value on the builder's current row, into `values`.
    pub(crate) fn run_into<AB: AirBuilder<F = F>>(&self, builder: &AB, values: &mut Vec<AB::Expr>) {
        self.tape.run_into(builder, values);
    }

    /// Where each lookup's values are among the registers, in lookup order.
    pub(crate) fn lookup_regs(&self) -> &[LookupRegs] {
        &self.regs
    }

    /// The challenge slice this gadget reads, from [`LogUpGadget`]'s `[α_0, β_0, α_1, β_1, …]`.
    pub fn extend_challenges<EF: Field>(challenges: &[EF]) -> Vec<EF> {
        assert!(
            challenges.len().is_multiple_of(2),
            "LogUp challenges come in (alpha, beta) pairs"
        );
        let mut out = Vec::with_capacity(challenges.len() / 2 * Self::BLOCK);
        for pair in challenges.chunks_exact(2) {
            out.push(pair[0]);
            out.extend(pair[1].powers().skip(1).take(Self::BLOCK - 1));
        }
        out
    }

    /// The AIR's constraints, then its lookups' ([`LookupProtocol::eval_air_and_lookups`]).
    /// `values` is scratch space for the compiled code's registers, which a caller evaluating
    /// row after row keeps to reuse.
    pub fn eval_air_and_lookups<AB, A>(&self, air: &A, builder: &mut AB, values: &mut Vec<AB::Expr>)
    where
        AB: PermutationAirBuilder<F = F>,
        A: Air<AB>,
    {
        air.eval(builder);
        self.eval_all(builder, values);
    }

    /// The constraints of [`LookupProtocol::eval_all`] for these lookups: each lookup's
    /// fraction pin `U·f − V = 0`, with `V/U = Σ_i m_i/(α − combine_i)` (or the selected
    /// branch's fraction for an exclusive column) and the same `U` and `V`, then the
    /// accumulator's. `values` is scratch space, as for [`Self::eval_air_and_lookups`].
    pub fn eval_all<AB: PermutationAirBuilder<F = F>>(
        &self,
        builder: &mut AB,
        values: &mut Vec<AB::Expr>,
    ) {
        let expected_terminals = usize::from(!self.lookups.is_empty());
        assert_eq!(
            expected_terminals,
            builder.permutation_values().len(),
            "permutation values count mismatch"
        );
        if self.lookups.is_empty() {
            return;
        }
        let terminal = builder.permutation_values()[0].clone();
        self.tape.run_into(builder, values);
        for regs in &self.regs {
            let (numerator, denominator) = Self::fraction(builder, regs, values);
            let frac: AB::ExprEF = builder
                .permutation()
                .current(regs.column + 1)
                .unwrap()
                .into();
            builder.assert_zero_ext(denominator * frac - numerator);
        }
        LogUpGadget.eval_accumulator(builder, self.lookups, terminal.into());
    }

    /// `(V, U)` of one lookup on this row.
    fn fraction<AB: PermutationAirBuilder<F = F>>(
        builder: &AB,
        regs: &LookupRegs,
        values: &[AB::Expr],
    ) -> (AB::ExprEF, AB::ExprEF) {
        let randomness = builder.permutation_randomness();
        let block = &randomness[regs.column * Self::BLOCK..(regs.column + 1) * Self::BLOCK];
        let alpha: AB::ExprEF = block[0].into();
        let value = |reg: usize| values[reg].clone();
        // α − (e_{k-1} + Σ_{i<k-1} β^{k-1-i}·e_i), the same value as the Horner fold.
        let term = |tuple: &[usize]| -> AB::ExprEF {
            let Some((&last, leading)) = tuple.split_last() else {
                return alpha.clone();
            };
            let k = tuple.len();
            let combined = if k <= Self::BLOCK {
                let mut combined: AB::ExprEF = value(last).into();
                for (i, &e) in leading.iter().enumerate() {
                    let power: AB::ExprEF = block[k - 1 - i].into();
                    combined += power * value(e);
                }
                combined
            } else {
                let beta: AB::ExprEF = block[1].into();
                tuple.iter().fold(AB::ExprEF::ZERO, |acc, &e| {
                    let e: AB::ExprEF = value(e).into();
                    acc * beta.clone() + e
                })
            };
            alpha.clone() - combined
        };

        let (elements, multiplicities) = (&regs.elements, &regs.multiplicities);
        match &regs.flags {
            // Additive: V/U = Σ m_i / t_i, U = Π t_i, V = Σ m_i Π_{j≠i} t_j.
            None if elements.len() == 1 => (value(multiplicities[0]).into(), term(&elements[0])),
            None if elements.len() == 2 => {
                let (t0, t1) = (term(&elements[0]), term(&elements[1]));
                let (m0, m1) = (value(multiplicities[0]), value(multiplicities[1]));
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
                for (i, &m) in multiplicities.iter().enumerate() {
                    let m = value(m);
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
                let mut numerator = AB::Expr::ZERO;
                let mut denominator = AB::ExprEF::ZERO;
                let mut flag_sum = AB::Expr::ZERO;
                for ((&flag, tuple), &m) in flags.iter().zip(elements).zip(multiplicities) {
                    let flag = value(flag);
                    numerator += flag.clone() * value(m);
                    denominator += term(tuple) * flag.clone();
                    flag_sum += flag;
                }
                denominator += AB::Expr::ONE - flag_sum;
                (numerator.into(), denominator)
            }
        }
    }
}
