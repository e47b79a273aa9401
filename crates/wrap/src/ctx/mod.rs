//! The flat circuit builder: verifier code calls a [`Ctx`], which computes every value at once
//! (witness first) and records the constraints on a tape; [`TapeCircuit`] lays the tape out as a
//! `halo2_proofs` circuit over the Pallas base field [`Fp`] (the idea of halo2-base, on zcash
//! `halo2_proofs` 0.4).
//!
//! A [`Var`] is a handle to a value on the tape. Operations return new handles; assertions
//! record constraints and never fail at once ([`Ctx::first_failure`] names the first one whose
//! values did not hold, which makes the circuit unsatisfiable).
//!
//! # Layout
//!
//! - **`L` lanes** ([`LANES`], or [`NARROW_LANES`] when they need no larger `k`: see
//!   [`WrapCircuit`]), each four advice columns `a, b, c, d` (equality enabled), sharing six
//!   fixed coefficient columns `q_a, q_b, q_c, q_d, q_m, q_const`; in every lane the vanilla
//!   gate `(1 − s_full − s_partial) · (q_a·a + q_b·b + q_c·c + q_d·d + q_m·a·b + q_const) = 0`.
//!   The shared coefficients make a circuit row hold `L` tape rows with the same coefficient
//!   tuple: the layout groups the gate rows by tuple (an op's tuple depends only on its kind and
//!   constants, so a verifier's tape has few), each group filling whole circuit rows, the
//!   idle lanes of its last row repeating its first tape row's values (which satisfy the same
//!   gate) in cells no copy constraint reads. One row per op: `add`, `sub`, `mul`,
//!   `add_const`, `mul_const`, `mul_add`, `assert_bool`, a pinned constant (`a − c = 0`);
//!   `select` is two; `linear` of `n` terms is `1 + ⌈(n − 3) / 2⌉` (three terms in the first row,
//!   then two a row with the running sum in `c` and `d`). Tape rows without a gate (free
//!   witnesses, four to a row) are a group of their own, under all-zero coefficients.
//! - **Poseidon** (`P128Pow5T3`) in lockstep: after the gate rows, batches of [`PERM_ROWS`]
//!   circuit rows, each running one permutation in every lane (state in `a, b, c`, the partial
//!   S-box in `d`), the round constants in the shared coefficient columns and two selectors
//!   `s_full`, `s_partial` that also switch the vanilla gate off (the chip's own module
//!   documents its gates). A batch's idle lanes permute zero.
//! - **[`RANGE_LANES`] range lanes**, each an advice column `z` and fixed columns `tag`, `m`,
//!   with the lookup `(tag, z − m·z_next) ∈ {(w, v) : 0 ≤ w ≤ B, v < 2^w}` (`B` the lookup width,
//!   below). `range_check(a, bits)` is a running sum `z_0 = a`, `z_{i+1} = ⌊z_i / 2^B⌋` over
//!   `⌈bits / B⌉` rows: `tag = B`, `m = 2^B` in every row but the last, whose limb `z` itself is
//!   looked up with `tag = bits − B·(rows − 1)`, `m = 0`. Unused rows read `(0, 0)`.
//! - **One instance column** for [`Ctx::expose_public`].
//!
//! The lookup width `B` is chosen per tape, from [`MIN_LOOKUP_BITS`] to [`LOOKUP_BITS`]: the
//! one that gives the smallest `k` (the table has `2^(B+1) − 1` rows), the widest among those.
//! Small test tapes get a small table and a small `k`; a large circuit gets 16-bit limbs. It
//! depends only on the tape's shape, like everything else in the layout.
//!
//! # Soundness
//!
//! What an accepting assignment of the laid-out circuit says about the tape:
//!
//! - **One value per [`Var`].** Every cell that holds a `Var` (its uses in lane rows, the
//!   Poseidon region's input and output cells, the first cell of a range check, the instance
//!   row) is tied by a copy constraint to one cell of that `Var` (the first one laid out), so
//!   they all hold the same value.
//! - **Separation.** The Poseidon gates are on only in the permutations' round rows (their
//!   selectors, fixed), where the vanilla gate is off; everywhere else the vanilla gate holds
//!   with the fixed coefficients of the row (all zero, so vacuous, where no gate row was
//!   placed); the range lookups hold on every usable row,
//!   and read `(0, 0)`, in the table, where nothing was placed.
//! - **Gate rows.** Each recorded row sits in a circuit row whose fixed coefficients (part of
//!   the verifying key) are the recorded ones; so the result of every arithmetic op is
//!   the function of its inputs that the op computes, a constant is pinned to its value
//!   (`1·x − c = 0`), and `assert_bool(x)` is `x² − x = 0`.
//! - **Assertions.** `assert_eq` is a copy constraint between the two `Var`s' cells;
//!   `assert_const` (and `assert_zero`) is a copy constraint to the pinned constant.
//! - **Range checks.** Each row but the last proves `z_i − 2^B·z_{i+1} ∈ [0, 2^B)` and the last
//!   `z_{n−1} ∈ [0, 2^w)` (`w` the last limb's width), so `a = z_0 = Σ_i limb_i · 2^(B·i)` in
//!   `Fp` with the right side an integer below `2^bits ≤ 2^254 < q` (the Pallas modulus):
//!   `a`'s canonical integer is below `2^bits`, and no choice of the `z_i` satisfies the
//!   lookups for a larger one.
//! - **Decompositions.** [`Ctx::to_bits`]: booleans by the gate, `Σ 2^i·b_i = a` in `Fp`,
//!   unique while `n ≤ 254`. [`Ctx::to_limbs`]: limbs range-checked, `Σ 2^(w·i)·l_i = a` in
//!   `Fp`, the integer equation while `w·n ≤ 254` (above that the caller bounds the limbs).
//! - **Poseidon.** A batch's gates constrain every lane's last row to be the permutation of
//!   its first (see the chip's soundness notes); a permutation's first and last cells are
//!   copies of its input and output `Var`s.
//! - **Public values.** Row `i` of the instance column equals the `i`-th exposed `Var`.
//!
//! Not proven: anything about a [`Ctx::witness`] beyond what the caller constrains, and
//! [`Ctx::select`]'s bit being boolean (the caller's job). The tape's *shape* (which ops, on
//! which `Var`s, with which constants) is the circuit: it is in the verifying key, so the
//! verifier code must choose its operations from the proof's public shape, never from witness
//! values. [`TapeCircuit`]'s `without_witnesses` is a clone for that reason: key generation
//! reads only the shape (fixed columns, selectors, copies, region sizes), which a tape built from
//! any witness of the same shape has in common.

mod gadgets;
mod layout;
mod plan;
mod poseidon;
mod range;
mod record;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;

use ff::{Field, PrimeField};
pub use pasta_curves::Fp;

pub use self::layout::{TapeCircuit, TapeConfig, WrapCircuit, lanes_for};

/// The most lanes a circuit has: each lane is four advice columns that hold one gate row or
/// one permutation's state a row, all lanes sharing the coefficient columns. A circuit's height
/// is about `gate rows / lanes + 37 · permutations / lanes`; the RISC-V shapes with the keccak
/// or secp256k1 chips (about 1.5 M gate rows and 18,000 permutations) fit `k = 18` with 9 lanes
/// and need `k = 19` with 8. Each lane costs the proof about 17 field elements (commitments and
/// evaluations of its columns: the fixture's SNARK is 8,485 bytes on 9 lanes, 7,397 on 7), so a tape that fits the same `k` on fewer lanes gets
/// [`NARROW_LANES`] ([`WrapCircuit`]).
pub const LANES: usize = 9;
/// The lanes of a circuit that needs no larger `k` with them than with [`LANES`]: the shapes
/// without the keccak or secp256k1 chips (about 0.4 M gate rows and 11,500 permutations) fit
/// `k = 17` on 7 lanes.
pub const NARROW_LANES: usize = 7;
/// Parallel range-check columns, each with its own lookup: enough for that shape's 0.62 M
/// lookup cells at `k = 18`, and no more (each is a lookup argument in the proof).
pub const RANGE_LANES: usize = 3;
/// The widest lookup limb: the table has `2^(LOOKUP_BITS + 1) − 1` rows, which a circuit of
/// `k ≥ 18` holds anyway (a 31-bit check is then two rows).
pub const LOOKUP_BITS: u32 = 16;
/// The narrowest lookup limb a tape is laid out with.
pub const MIN_LOOKUP_BITS: u32 = 4;
pub use self::poseidon::PERM_ROWS;
/// The widest range check: `2^254` is below the Pallas modulus.
pub const MAX_RANGE_BITS: u32 = 254;
/// The constraint system's degree, raised from the gates' 6 (a selector times a fifth power) to
/// 8: the extended domain is `8·n` either way, and the permutation argument then takes six
/// columns per grand product instead of four, which saves commitments and evaluations in the
/// proof at the price of two more quotient pieces.
const MIN_DEGREE: usize = 8;

/// A handle to a value on the tape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Var(u32);

impl Var {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A cell index meaning "no `Var` here" (the cell is assigned zero).
const EMPTY: u32 = u32::MAX;
/// A gate index meaning "no gate": the row only gives free witnesses a cell.
const NO_GATE: u32 = u32::MAX;

/// Indices of the gate coefficients `[q_a, q_b, q_c, q_d, q_m, q_const]` every tape starts with.
mod gate {
    pub(super) const ADD: u32 = 0;
    pub(super) const SUB: u32 = 1;
    pub(super) const MUL: u32 = 2;
    pub(super) const MUL_ADD: u32 = 3;
    pub(super) const BOOL: u32 = 4;
}

/// One row of the vanilla gate: the `Var`s in `a, b, c, d` and the coefficients' index.
#[derive(Clone, Copy, Debug)]
struct Row {
    cells: [u32; 4],
    gate: u32,
}

/// A recorded `range_check`.
#[derive(Clone, Copy, Debug)]
struct RangeCheck {
    var: Var,
    bits: u32,
}

/// A recorded permutation; its outputs are the three `Var`s from `output`.
#[derive(Clone, Copy, Debug)]
struct Perm {
    input: [Var; 3],
    output: u32,
}

/// Sizes of a tape, and the `k` its circuit needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CtxStats {
    /// Values on the tape.
    pub vars: usize,
    /// Rows of the vanilla gate (witness-only rows included), over all lanes.
    pub gate_rows: usize,
    /// Range checks recorded.
    pub range_checks: usize,
    /// Running-sum cells of the range checks, one lookup each (at `lookup_bits`).
    pub lookup_cells: usize,
    /// Poseidon permutations.
    pub poseidon_perms: usize,
    /// Distinct constants.
    pub constants: usize,
    /// Copy constraints: every use of a value after its first cell, the permutations' inputs,
    /// the range checks' first cells and `assert_eq`s (an upper bound; public values apart).
    pub copies: usize,
    /// Public values.
    pub public_inputs: usize,
    /// The lookup width the tape is laid out with.
    pub lookup_bits: u32,
    /// The gate lanes the figures are for.
    pub lanes: usize,
    /// Usable rows the layout needs (the tallest lane, range lane or the table).
    pub rows: usize,
    /// The smallest `k` whose usable rows hold them.
    pub min_k: u32,
}

/// The circuit builder (see the module documentation).
#[derive(Clone)]
pub struct Ctx {
    values: Vec<Fp>,
    /// Whether a `Var` has (or will have, before the regions that need it) a cell.
    placed: Vec<bool>,
    rows: Vec<Row>,
    coeffs: Vec<[Fp; 6]>,
    coeff_index: HashMap<[[u8; 32]; 6], u32>,
    constants: HashMap<[u8; 32], Var>,
    ranges: Vec<RangeCheck>,
    perms: Vec<Perm>,
    equal: Vec<(Var, Var)>,
    public: Vec<Var>,
    /// The witness-only row with free slots, if any.
    open_row: Option<usize>,
    copies: usize,
    failure: Option<String>,
    /// Dishonest running sums for negative tests, by range-check index.
    range_witness: HashMap<usize, Vec<Fp>>,
}

impl Default for Ctx {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("vars", &self.values.len())
            .field("gate_rows", &self.rows.len())
            .field("range_checks", &self.ranges.len())
            .field("poseidon_perms", &self.perms.len())
            .field("public", &self.public.len())
            .field("first_failure", &self.failure)
            .finish_non_exhaustive()
    }
}

impl Ctx {
    /// An empty tape.
    pub fn new() -> Self {
        let one = Fp::ONE;
        let (zero, minus) = (Fp::ZERO, -Fp::ONE);
        let mut ctx = Self {
            values: Vec::new(),
            placed: Vec::new(),
            rows: Vec::new(),
            coeffs: Vec::new(),
            coeff_index: HashMap::new(),
            constants: HashMap::new(),
            ranges: Vec::new(),
            perms: Vec::new(),
            equal: Vec::new(),
            public: Vec::new(),
            open_row: None,
            copies: 0,
            failure: None,
            range_witness: HashMap::new(),
        };
        for (index, q) in [
            (gate::ADD, [one, one, minus, zero, zero, zero]),
            (gate::SUB, [one, minus, minus, zero, zero, zero]),
            (gate::MUL, [zero, zero, minus, zero, one, zero]),
            (gate::MUL_ADD, [zero, zero, one, minus, one, zero]),
            (gate::BOOL, [minus, zero, zero, zero, one, zero]),
        ] {
            assert_eq!(ctx.intern(q), index);
        }
        ctx
    }

    /// The value of `v`.
    pub fn value(&self, v: Var) -> Fp {
        self.values[v.index()]
    }

    /// A free value: nothing constrains it but what the caller records.
    pub fn witness(&mut self, v: Fp) -> Var {
        self.new_var(v, false)
    }

    /// The constant `c`, pinned by a gate row (one per distinct constant).
    pub fn constant(&mut self, c: Fp) -> Var {
        let key = c.to_repr();
        if let Some(&v) = self.constants.get(&key) {
            return v;
        }
        let v = self.new_var(c, false);
        let gate = self.intern([Fp::ONE, Fp::ZERO, Fp::ZERO, Fp::ZERO, Fp::ZERO, -c]);
        self.push_row([v.0, EMPTY, EMPTY, EMPTY], gate);
        self.constants.insert(key, v);
        v
    }

    /// `a + b`.
    pub fn add(&mut self, a: Var, b: Var) -> Var {
        let r = self.new_var(self.value(a) + self.value(b), false);
        self.push_row([a.0, b.0, r.0, EMPTY], gate::ADD);
        r
    }

    /// `a − b`.
    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        let r = self.new_var(self.value(a) - self.value(b), false);
        self.push_row([a.0, b.0, r.0, EMPTY], gate::SUB);
        r
    }

    /// `a · b`.
    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        let r = self.new_var(self.value(a) * self.value(b), false);
        self.push_row([a.0, b.0, r.0, EMPTY], gate::MUL);
        r
    }

    /// `a · b + c`.
    pub fn mul_add(&mut self, a: Var, b: Var, c: Var) -> Var {
        let r = self.new_var(self.value(a) * self.value(b) + self.value(c), false);
        self.push_row([a.0, b.0, c.0, r.0], gate::MUL_ADD);
        r
    }

    /// `a + c` for a constant `c`.
    pub fn add_const(&mut self, a: Var, c: Fp) -> Var {
        let r = self.new_var(self.value(a) + c, false);
        let gate = self.intern([Fp::ONE, Fp::ZERO, -Fp::ONE, Fp::ZERO, Fp::ZERO, c]);
        self.push_row([a.0, EMPTY, r.0, EMPTY], gate);
        r
    }

    /// `c · a` for a constant `c`.
    pub fn mul_const(&mut self, a: Var, c: Fp) -> Var {
        let r = self.new_var(self.value(a) * c, false);
        let gate = self.intern([c, Fp::ZERO, -Fp::ONE, Fp::ZERO, Fp::ZERO, Fp::ZERO]);
        self.push_row([a.0, EMPTY, r.0, EMPTY], gate);
        r
    }

    /// `Σ k_i·v_i + constant`: three terms in the first row, two in each further one.
    pub fn linear(&mut self, terms: &[(Fp, Var)], constant: Fp) -> Var {
        self.linear_into(terms, constant, None)
    }

    /// Constrains `a = b` (a copy constraint).
    pub fn assert_eq(&mut self, a: Var, b: Var) {
        if self.value(a) != self.value(b) {
            self.fail(|| format!("assert_eq({a:?}, {b:?})"));
        }
        if a != b {
            self.ensure_placed(a);
            self.ensure_placed(b);
            self.equal.push((a, b));
            self.copies += 1;
        }
    }

    /// Constrains `a = 0`.
    pub fn assert_zero(&mut self, a: Var) {
        self.assert_const(a, Fp::ZERO);
    }

    /// Constrains `a = c` (a copy constraint to the pinned constant).
    pub fn assert_const(&mut self, a: Var, c: Fp) {
        let c = self.constant(c);
        self.assert_eq(a, c);
    }

    /// Constrains `a ∈ {0, 1}` (`a² − a = 0`).
    pub fn assert_bool(&mut self, a: Var) {
        let x = self.value(a);
        if x != Fp::ZERO && x != Fp::ONE {
            self.fail(|| format!("assert_bool({a:?})"));
        }
        self.push_row([a.0, a.0, EMPTY, EMPTY], gate::BOOL);
    }

    /// `bit ? if_one : if_zero`, as `bit · (if_one − if_zero) + if_zero` (two rows). `bit` must
    /// be constrained boolean by the caller.
    pub fn select(&mut self, bit: Var, if_one: Var, if_zero: Var) -> Var {
        let diff = self.sub(if_one, if_zero);
        self.mul_add(bit, diff, if_zero)
    }

    /// Makes `a` the next public value (the next row of the instance column).
    pub fn expose_public(&mut self, a: Var) {
        self.ensure_placed(a);
        self.public.push(a);
    }

    /// The public values, in the order exposed: the instance column.
    pub fn public_values(&self) -> Vec<Fp> {
        self.public.iter().map(|&v| self.value(v)).collect()
    }

    /// What recording found wrong first: an assertion, a range check or a decomposition whose
    /// values did not hold (the circuit is then unsatisfiable), or `None`.
    pub fn first_failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The tape's sizes and the smallest `k` of its circuit on [`LANES`] lanes.
    pub fn stats(&self) -> CtxStats {
        self.stats_for(LANES)
    }

    /// The tape's sizes and the smallest `k` of its circuit on `lanes` lanes.
    pub fn stats_for(&self, lanes: usize) -> CtxStats {
        let plan = plan::Plan::new(self, lanes);
        CtxStats {
            vars: self.values.len(),
            gate_rows: self.rows.len(),
            range_checks: self.ranges.len(),
            lookup_cells: plan.lookup_cells,
            poseidon_perms: self.perms.len(),
            constants: self.constants.len(),
            copies: self.copies,
            public_inputs: self.public.len(),
            lookup_bits: plan.lookup_bits,
            lanes,
            rows: plan.rows,
            min_k: plan.k,
        }
    }

    /// Lookup cells the range checks recorded so far take at limbs of `bits` bits (one per
    /// limb): a measure that, unlike [`CtxStats::lookup_cells`], does not depend on the width
    /// the whole tape is laid out with.
    pub fn lookup_cells_at(&self, bits: u32) -> usize {
        self.ranges
            .iter()
            .map(|r| r.bits.div_ceil(bits.max(1)) as usize)
            .sum()
    }

    /// Overwrites the value of `v` without re-deriving anything (negative tests: the circuit
    /// must then be unsatisfiable wherever `v` is constrained).
    #[doc(hidden)]
    pub fn tamper(&mut self, v: Var, new: Fp) {
        self.values[v.index()] = new;
    }

    /// Lays range check number `check` (in recording order) out with the running sum `z`
    /// instead of the honest one (negative tests: any dishonest choice must be rejected).
    #[doc(hidden)]
    pub fn tamper_range(&mut self, check: usize, z: Vec<Fp>) {
        self.range_witness.insert(check, z);
    }
}
