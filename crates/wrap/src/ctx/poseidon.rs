//! The `P128Pow5T3` permutation in lockstep across the lanes: [`PERM_ROWS`] rows in which every
//! lane runs one permutation, the round constants in the shared coefficient columns.
//!
//! The arithmetization is the one of `halo2_gadgets`' `Pow5Chip` (one full round a row, two
//! partial rounds a row through one intermediate S-box cell), for the same permutation
//! (`halo2_poseidon`'s constants and MDS matrix). What differs is the layout: the lanes share the
//! constant columns and the two selectors, so `L` permutations cost one set of them instead of
//! `L`, and nothing else (no padding gate, no equality on constant columns) enters the proof.
//!
//! | rows | selector | `q_a, q_b, q_c` | `q_d, q_m, q_const` | `a, b, c` | `d` |
//! |---|---|---|---|---|---|
//! | `0..4`, `32..36` | `s_full` | the round's constants | 0 | the state | 0 |
//! | `4..32` | `s_partial` | the first round's | the second round's | the state | `(a + q_a)^5` |
//! | `36` | none | 0 | 0 | the output | 0 |
//!
//! # Soundness
//!
//! In a row with `s_full`, the next row's state is `MDS · (x + rc)^5` (every word through the
//! S-box). In a row with `s_partial`, `d = (x_0 + rc_0)^5` and the next row's state `x'`
//! satisfies `MDS⁻¹ · x' = [(y_0 + rc'_0)^5, y_1 + rc'_1, y_2 + rc'_2]` with
//! `y = MDS · [d, x_1 + rc_1, x_2 + rc_2]`: two partial rounds, as `MDS` is invertible. The
//! selectors and constants are fixed columns, so rows `0..36` apply the 64 rounds in order and
//! row 36 holds the permutation of row 0, in every lane. The cells of rows 0 and 36 are tied to
//! the permutation's input and output values by copy constraints (in the layout).

use std::sync::LazyLock;

use ff::Field;
use halo2_poseidon::{Mds, P128Pow5T3, Spec};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Constraints, Expression, Fixed};
use halo2_proofs::plonk::{Selector, VirtualCells};
use halo2_proofs::poly::Rotation;

use super::Fp;

/// Rows of one permutation: 4 full rounds, 28 rows of two partial rounds, 4 full rounds, and
/// the output row.
pub const PERM_ROWS: usize = 37;
const HALF_FULL: usize = 4;
const PARTIAL_ROWS: usize = 28;
/// The row that holds the permutation's output.
pub(super) const OUTPUT_ROW: usize = PERM_ROWS - 1;

struct Constants {
    rc: Vec<[Fp; 3]>,
    mds: Mds<Fp, 3>,
    mds_inv: Mds<Fp, 3>,
}

static CONSTANTS: LazyLock<Constants> = LazyLock::new(|| {
    let (rc, mds, mds_inv) = <P128Pow5T3 as Spec<Fp, 3, 2>>::constants();
    assert_eq!(rc.len(), 2 * HALF_FULL + 2 * PARTIAL_ROWS);
    Constants { rc, mds, mds_inv }
});

/// What row `r` of a permutation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RowKind {
    /// A full round with constants `rc[round]`.
    Full(usize),
    /// The partial rounds `round` and `round + 1`.
    Partial(usize),
    Output,
}

pub(super) fn row_kind(r: usize) -> RowKind {
    match r {
        r if r < HALF_FULL => RowKind::Full(r),
        r if r < HALF_FULL + PARTIAL_ROWS => RowKind::Partial(HALF_FULL + 2 * (r - HALF_FULL)),
        r if r < OUTPUT_ROW => RowKind::Full(r + PARTIAL_ROWS),
        _ => RowKind::Output,
    }
}

/// The coefficient columns of row `r`.
pub(super) fn fixed_row(r: usize) -> [Fp; 6] {
    let rc = &CONSTANTS.rc;
    let z = Fp::ZERO;
    match row_kind(r) {
        RowKind::Full(i) => [rc[i][0], rc[i][1], rc[i][2], z, z, z],
        RowKind::Partial(i) => [
            rc[i][0],
            rc[i][1],
            rc[i][2],
            rc[i + 1][0],
            rc[i + 1][1],
            rc[i + 1][2],
        ],
        RowKind::Output => [z; 6],
    }
}

fn pow5(x: Fp) -> Fp {
    x.square().square() * x
}

fn mds_mul(m: &Mds<Fp, 3>, x: [Fp; 3]) -> [Fp; 3] {
    std::array::from_fn(|i| (0..3).map(|j| m[i][j] * x[j]).sum())
}

/// The cells `a, b, c, d` of every row of the permutation of `input`.
pub(super) fn trace(input: [Fp; 3]) -> Vec<[Fp; 4]> {
    let c = &*CONSTANTS;
    let mut state = input;
    let mut rows = Vec::with_capacity(PERM_ROWS);
    for r in 0..PERM_ROWS {
        let [x0, x1, x2] = state;
        match row_kind(r) {
            RowKind::Full(i) => {
                rows.push([x0, x1, x2, Fp::ZERO]);
                state = mds_mul(&c.mds, std::array::from_fn(|j| pow5(state[j] + c.rc[i][j])));
            }
            RowKind::Partial(i) => {
                let mid = pow5(x0 + c.rc[i][0]);
                rows.push([x0, x1, x2, mid]);
                let y = mds_mul(&c.mds, [mid, x1 + c.rc[i][1], x2 + c.rc[i][2]]);
                let rc = c.rc[i + 1];
                state = mds_mul(&c.mds, [pow5(y[0] + rc[0]), y[1] + rc[1], y[2] + rc[2]]);
            }
            RowKind::Output => rows.push([x0, x1, x2, Fp::ZERO]),
        }
    }
    rows
}

/// The permutation's two selectors (the gates are on every lane).
#[derive(Clone, Copy, Debug)]
pub(super) struct PoseidonConfig {
    pub(super) s_full: Selector,
    pub(super) s_partial: Selector,
}

/// The full-round and partial-round gates on every lane, with the constants in `q`.
pub(super) fn configure(
    meta: &mut ConstraintSystem<Fp>,
    lanes: &[[Column<Advice>; 4]],
    q: [Column<Fixed>; 6],
) -> PoseidonConfig {
    let config = PoseidonConfig {
        s_full: meta.complex_selector(),
        s_partial: meta.complex_selector(),
    };
    let pow5 = |x: Expression<Fp>| {
        let x2 = x.clone() * x.clone();
        x2.clone() * x2 * x
    };
    let mds_row = |m: &Mds<Fp, 3>, i: usize, x: &[Expression<Fp>; 3]| {
        (1..3).fold(x[0].clone() * m[i][0], |acc, j| {
            acc + x[j].clone() * m[i][j]
        })
    };
    let state = |meta: &mut VirtualCells<'_, Fp>, lane: &[Column<Advice>; 4], at| {
        [0, 1, 2].map(|i| meta.query_advice(lane[i], at))
    };
    meta.create_gate("poseidon full round", |meta| {
        let s = meta.query_selector(config.s_full);
        let rc = [0, 1, 2].map(|i| meta.query_fixed(q[i]));
        let mut polys = Vec::new();
        for lane in lanes {
            let x = state(meta, lane, Rotation::cur());
            let next = state(meta, lane, Rotation::next());
            let sboxed: [Expression<Fp>; 3] =
                std::array::from_fn(|j| pow5(x[j].clone() + rc[j].clone()));
            for (i, n) in next.into_iter().enumerate() {
                polys.push(n - mds_row(&CONSTANTS.mds, i, &sboxed));
            }
        }
        Constraints::with_selector(s, polys)
    });
    meta.create_gate("poseidon partial rounds", |meta| {
        let s = meta.query_selector(config.s_partial);
        let rc_a = [0, 1, 2].map(|i| meta.query_fixed(q[i]));
        let rc_b = [3, 4, 5].map(|i| meta.query_fixed(q[i]));
        let mut polys = Vec::new();
        for lane in lanes {
            let x = state(meta, lane, Rotation::cur());
            let mid = meta.query_advice(lane[3], Rotation::cur());
            let next = state(meta, lane, Rotation::next());
            polys.push(mid.clone() - pow5(x[0].clone() + rc_a[0].clone()));
            let first = [
                mid,
                x[1].clone() + rc_a[1].clone(),
                x[2].clone() + rc_a[2].clone(),
            ];
            let y: [Expression<Fp>; 3] =
                std::array::from_fn(|i| mds_row(&CONSTANTS.mds, i, &first) + rc_b[i].clone());
            let w: [Expression<Fp>; 3] =
                std::array::from_fn(|i| mds_row(&CONSTANTS.mds_inv, i, &next));
            let [y0, y1, y2] = y;
            let [w0, w1, w2] = w;
            polys.push(pow5(y0) - w0);
            polys.push(y1 - w1);
            polys.push(y2 - w2);
        }
        Constraints::with_selector(s, polys)
    });
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::SplitMix64 as Rand;
    use geode_stark::config::wrap::poseidon::permute;
    use halo2_gadgets::poseidon::{PoseidonInstructions, Pow5Chip, Pow5Config, StateWord};
    use halo2_proofs::circuit::{AssignedCell, Layouter, SimpleFloorPlanner, Value};
    use halo2_proofs::dev::MockProver;
    use halo2_proofs::plonk::Instance;

    #[test]
    fn the_trace_ends_in_the_permutation_of_its_first_row() {
        let mut rand = Rand(7);
        for _ in 0..4 {
            let input = [rand.fp(), rand.fp(), rand.fp()];
            let rows = trace(input);
            let mut expected = input;
            permute(&mut expected);
            assert_eq!(rows.len(), PERM_ROWS);
            assert_eq!(rows[0][..3], input);
            assert_eq!(rows[OUTPUT_ROW][..3], expected);
        }
    }

    #[test]
    fn every_round_constant_is_used_once_in_order() {
        let mut used = Vec::new();
        for r in 0..PERM_ROWS {
            match row_kind(r) {
                RowKind::Full(i) => used.push(i),
                RowKind::Partial(i) => used.extend([i, i + 1]),
                RowKind::Output => assert_eq!(r, OUTPUT_ROW),
            }
        }
        assert_eq!(used, (0..CONSTANTS.rc.len()).collect::<Vec<_>>());
    }

    /// `halo2_gadgets`' `Pow5Chip` on one input, its output constrained to the instance column.
    struct GadgetPermutation([Fp; 3]);

    impl halo2_proofs::plonk::Circuit<Fp> for GadgetPermutation {
        type Config = (Pow5Config<Fp, 3, 2>, [Column<Advice>; 3], Column<Instance>);
        type FloorPlanner = SimpleFloorPlanner;

        fn without_witnesses(&self) -> Self {
            Self(self.0)
        }

        fn configure(meta: &mut ConstraintSystem<Fp>) -> Self::Config {
            let state = [(); 3].map(|()| meta.advice_column());
            let partial_sbox = meta.advice_column();
            let rc_a = [(); 3].map(|()| meta.fixed_column());
            let rc_b = [(); 3].map(|()| meta.fixed_column());
            let instance = meta.instance_column();
            meta.enable_equality(instance);
            let pow5 = Pow5Chip::configure::<P128Pow5T3>(meta, state, partial_sbox, rc_a, rc_b);
            (pow5, state, instance)
        }

        fn synthesize(
            &self,
            (pow5, state, instance): Self::Config,
            mut layouter: impl Layouter<Fp>,
        ) -> Result<(), halo2_proofs::plonk::Error> {
            let input = layouter.assign_region(
                || "input",
                |mut region| {
                    let mut words = Vec::new();
                    for (i, (&column, &x)) in state.iter().zip(&self.0).enumerate() {
                        let cell = region.assign_advice(|| "", column, i, || Value::known(x))?;
                        words.push(StateWord::from(cell));
                    }
                    Ok(words)
                },
            )?;
            let chip = Pow5Chip::construct(pow5);
            let [i0, i1, i2] = <[_; 3]>::try_from(input).expect("three words");
            let output =
                <Pow5Chip<Fp, 3, 2> as PoseidonInstructions<Fp, P128Pow5T3, 3, 2>>::permute(
                    &chip,
                    &mut layouter,
                    &[i0, i1, i2],
                )?;
            for (i, word) in output.into_iter().enumerate() {
                let cell: AssignedCell<Fp, Fp> = word.into();
                layouter.constrain_instance(cell.cell(), instance, i)?;
            }
            Ok(())
        }
    }

    /// The requirement, checked directly: the permutation this chip proves is the one
    /// `halo2_gadgets`' `Pow5Chip` proves, on the same input.
    #[test]
    fn the_chip_computes_what_halo2_gadgets_pow5_chip_proves() {
        let mut rand = Rand(11);
        let input = [rand.fp(), rand.fp(), rand.fp()];
        let ours = trace(input)[OUTPUT_ROW];
        let satisfied = |output: [Fp; 3]| {
            MockProver::run(7, &GadgetPermutation(input), vec![output.to_vec()])
                .unwrap()
                .verify()
                .is_ok()
        };
        assert!(satisfied([ours[0], ours[1], ours[2]]));
        assert!(!satisfied([ours[0], ours[1] + Fp::ONE, ours[2]]));
    }
}
