//! The prover evaluates the LogUp constraints with `HoistedLogUp` (Geode's patch,
//! `vendor/p3-lookup/PATCH.md`); the verifier checks them with `LogUpGadget`. Both must emit the
//! same constraints with the same values, or honest proofs fail (and a wrong quotient could only
//! ever be rejected, but a silent mismatch in some lookup shape would be a prover bug). These
//! tests evaluate both on random rows and challenges, through the prover's packed folder, for
//! every lookup shape the gadget handles: one, two and several additive tuples, exclusive
//! branches, an empty tuple, and tuples too wide for the hoisted powers.

use geode_stark::{Challenge, FastConfig, Val};
use p3_air::RowWindow;
use p3_air::symbolic::{BaseEntry, SymbolicExpression, SymbolicVariable};
use p3_batch_stark::folder::ProverConstraintFolderWithLookups;
use p3_field::{BasedVectorSpace, PackedValue, PrimeCharacteristicRing, PrimeField32};
use p3_lookup::{HoistedLogUp, Kind, LogUpGadget, Lookup, LookupProtocol};
use p3_matrix::dense::RowMajorMatrixView;
use p3_uni_stark::{PackedChallenge, PackedVal, ProverConstraintFolder};

type Packed = PackedVal<FastConfig>;
type PackedExt = PackedChallenge<FastConfig>;

const MAIN_WIDTH: usize = 12;

/// SplitMix64: reproducible values without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn val(&mut self) -> Val {
        Val::from_u32((self.next() % u64::from(Val::ORDER_U32)) as u32)
    }
    fn ext(&mut self) -> Challenge {
        Challenge::from_basis_coefficients_fn(|_| self.val())
    }
    fn packed(&mut self) -> Packed {
        Packed::from_fn(|_| self.val())
    }
    fn packed_ext(&mut self) -> PackedExt {
        PackedExt::from_basis_coefficients_fn(|_| self.packed())
    }
}

fn main_var(column: usize, offset: usize) -> SymbolicExpression<Val> {
    SymbolicVariable::new(BaseEntry::Main { offset }, column).into()
}

/// A tuple of `width` fields mixing plain cells, next-row cells and small expressions.
fn tuple(width: usize, seed: usize) -> Vec<SymbolicExpression<Val>> {
    (0..width)
        .map(|k| {
            let col = (seed + 5 * k) % MAIN_WIDTH;
            match k % 3 {
                0 => main_var(col, 0),
                1 => main_var(col, 1),
                _ => main_var(col, 0) * main_var((col + 1) % MAIN_WIDTH, 0) + Val::from_u8(7),
            }
        })
        .collect()
}

fn additive(column: usize, widths: &[usize]) -> Lookup<Val> {
    Lookup {
        kind: Kind::Local,
        elements: widths
            .iter()
            .enumerate()
            .map(|(i, &w)| tuple(w, column + i))
            .collect(),
        multiplicities: (0..widths.len())
            .map(|i| main_var((column + 3 * i) % MAIN_WIDTH, 0) - Val::from_u8(2))
            .collect(),
        count_weight: 1,
        column,
        flags: None,
    }
}

fn exclusive(column: usize, widths: &[usize]) -> Lookup<Val> {
    let mut lookup = additive(column, widths);
    lookup.flags = Some(
        (0..widths.len())
            .map(|i| main_var((column + i + 1) % MAIN_WIDTH, 1))
            .collect(),
    );
    lookup
}

/// Every lookup shape: 1, 2 and 4 additive tuples (up to the hoisted limit and past it),
/// exclusive columns, an empty tuple, a column with no tuples, and shared subexpressions.
fn lookups() -> Vec<Lookup<Val>> {
    let block = HoistedLogUp::<Val>::BLOCK;
    vec![
        additive(0, &[6]),
        additive(1, &[20, 4]),
        additive(2, &[1, 3, block, 2]),
        additive(3, &[block + 1]),
        exclusive(4, &[20, 6, 4]),
        exclusive(5, &[block + 9, 2]),
        additive(6, &[0, 5]),
        additive(7, &[]),
        shared(8),
    ]
}

/// One subtree (cloned, so the same node) as a field of two tuples, a multiplicity and a flag,
/// which the hoisted gadget computes once.
fn shared(column: usize) -> Lookup<Val> {
    let node = main_var(1, 0) * main_var(2, 1) + main_var(3, 0);
    Lookup {
        kind: Kind::Local,
        elements: vec![
            vec![node.clone(), main_var(4, 0), node.clone()],
            vec![main_var(5, 1), node.clone()],
        ],
        multiplicities: vec![node.clone(), -node.clone()],
        count_weight: 1,
        column,
        flags: Some(vec![node.clone(), main_var(1, 0) - node]),
    }
}

#[derive(Clone, Copy)]
enum Gadget {
    Plain,
    Hoisted,
}

/// The extension constraints `gadget` emits for `lookups` (fractions, then the accumulator)
/// on a random packed row, given the challenges as that gadget reads them.
fn ext_constraints(
    gadget: Gadget,
    lookups: &[Lookup<Val>],
    rows: &[Packed],
    permutation: &[PackedExt],
    challenges: &[Challenge],
    terminal: PackedExt,
) -> Vec<PackedExt> {
    let packed_challenges: Vec<PackedExt> = challenges.iter().map(|&c| c.into()).collect();
    let main = RowMajorMatrixView::new(rows, MAIN_WIDTH);
    let none = RowMajorMatrixView::new(&[], 0);
    let inner = ProverConstraintFolder::<FastConfig> {
        main,
        preprocessed: none,
        preprocessed_window: RowWindow::from_view(&none),
        periodic_values: &[],
        public_values: &[],
        is_first_row: Packed::ONE,
        is_last_row: Packed::ONE,
        is_transition: Packed::ONE,
        base_alpha_powers: &[],
        ext_alpha_powers: &[],
        base_constraints: Vec::new(),
        ext_constraints: Vec::new(),
        constraint_index: 0,
        constraint_count: 0,
    };
    let terminals = [terminal];
    let mut folder = ProverConstraintFolderWithLookups {
        inner,
        permutation: RowMajorMatrixView::new(permutation, lookups.len() + 1),
        permutation_challenges: &packed_challenges,
        permutation_values: &terminals,
    };
    match gadget {
        Gadget::Plain => LogUpGadget.eval_all(&mut folder, lookups),
        Gadget::Hoisted => HoistedLogUp::new(lookups).eval_all(&mut folder, &mut Vec::new()),
    }
    assert!(folder.inner.base_constraints.is_empty());
    folder.inner.ext_constraints
}

struct Case {
    rows: Vec<Packed>,
    permutation: Vec<PackedExt>,
    challenges: Vec<Challenge>,
    terminal: PackedExt,
}

fn case(seed: u64, num_lookups: usize) -> Case {
    let mut rng = Rng(seed);
    Case {
        rows: (0..2 * MAIN_WIDTH).map(|_| rng.packed()).collect(),
        permutation: (0..2 * (num_lookups + 1))
            .map(|_| rng.packed_ext())
            .collect(),
        challenges: (0..2 * num_lookups).map(|_| rng.ext()).collect(),
        terminal: rng.packed_ext(),
    }
}

fn both(case: &Case, lookups: &[Lookup<Val>]) -> (Vec<PackedExt>, Vec<PackedExt>) {
    let plain = ext_constraints(
        Gadget::Plain,
        lookups,
        &case.rows,
        &case.permutation,
        &case.challenges,
        case.terminal,
    );
    let hoisted = ext_constraints(
        Gadget::Hoisted,
        lookups,
        &case.rows,
        &case.permutation,
        &HoistedLogUp::<Val>::extend_challenges(&case.challenges),
        case.terminal,
    );
    (plain, hoisted)
}

#[test]
fn hoisted_logup_emits_the_gadgets_constraints_value_for_value() {
    let lookups = lookups();
    for seed in 0..16 {
        let case = case(seed, lookups.len());
        let (plain, hoisted) = both(&case, &lookups);
        // One fraction pin per lookup, then first-row, transition and last-row accumulator rows.
        assert_eq!(plain.len(), lookups.len() + 3);
        assert_eq!(plain, hoisted, "seed {seed}");
        // Random rows satisfy nothing: the comparison is between non-trivial values.
        assert!(plain.iter().all(|c| *c != PackedExt::ZERO));
    }
}

#[test]
fn the_comparison_sees_a_changed_beta() {
    let lookups = lookups();
    let mut case = case(99, lookups.len());
    let (plain, _) = both(&case, &lookups);
    // Column 2's beta, as the hoisted gadget would read it had the prover derived it wrongly.
    case.challenges[2 * 2 + 1] += Challenge::ONE;
    let (_, hoisted) = both(&case, &lookups);
    let differing: Vec<usize> = (0..plain.len())
        .filter(|&i| plain[i] != hoisted[i])
        .collect();
    assert_eq!(differing, vec![2], "only column 2's fraction pin changes");
}
