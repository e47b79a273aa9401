//! [`TapeCircuit`]: the columns, the gates, and the layout of a recorded tape.
//!
//! Order of synthesis: the lookup table; one region per lane with its gate rows; the
//! permutations in tape order, each its own `Pow5Chip` region; one region with the range
//! checks; one region of copy constraints (`assert_eq`, and permutation outputs whose `Var`
//! already had a cell); the instance rows. A `Var`'s first cell in that order is its home and
//! every later cell is tied to it. The lanes and the range checks are laid out in two passes by
//! `SimpleFloorPlanner` (shape, then assignment): the shape pass only touches each column's last
//! row, which gives the floor planner the region's true extent at no cost.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use ff::Field;
use halo2_gadgets::poseidon::primitives::P128Pow5T3;
use halo2_gadgets::poseidon::{PoseidonInstructions, Pow5Chip, Pow5Config, StateWord};
use halo2_proofs::circuit::{AssignedCell, Cell, Layouter, Region, SimpleFloorPlanner, Value};
use halo2_proofs::plonk::{
    Advice, Circuit, Column, ConstraintSystem, Constraints, Error, Fixed, Instance, Selector,
};
use halo2_proofs::poly::Rotation;

use super::plan::Plan;
use super::range::{self, RangeConfig};
use super::{Ctx, EMPTY, Fp, LANES, NO_GATE};

/// A tape laid out as a circuit (see the [module documentation](super)).
#[derive(Clone, Debug)]
pub struct TapeCircuit {
    ctx: Arc<Ctx>,
}

impl TapeCircuit {
    /// The circuit of `ctx`'s tape.
    pub fn new(ctx: Ctx) -> Self {
        Self { ctx: Arc::new(ctx) }
    }

    /// The smallest `k` whose usable rows hold the layout (and the lookup table).
    pub fn min_k(&self) -> u32 {
        self.ctx.stats().min_k
    }

    /// The tape.
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }
}

/// The columns of a [`TapeCircuit`].
#[derive(Clone, Debug)]
pub struct TapeConfig {
    lanes: Vec<LaneConfig>,
    range: RangeConfig,
    instance: Column<Instance>,
}

/// One lane: the vanilla gate, and a `Pow5Chip` on the same columns.
#[derive(Clone, Debug)]
struct LaneConfig {
    /// `a, b, c, d`.
    advice: [Column<Advice>; 4],
    /// `q_a, q_b, q_c, q_d, q_m, q_const`.
    q: [Column<Fixed>; 6],
    s: Selector,
    pow5: Pow5Config<Fp, 3, 2>,
}

impl Circuit<Fp> for TapeCircuit {
    type Config = TapeConfig;
    type FloorPlanner = SimpleFloorPlanner;

    /// The same tape: key generation reads only its shape, which does not depend on the
    /// witness (see the module's soundness notes), and the values it carries are never read.
    fn without_witnesses(&self) -> Self {
        self.clone()
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> TapeConfig {
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        let lanes = (0..LANES).map(|_| configure_lane(meta)).collect();
        let range = range::configure(meta);
        TapeConfig {
            lanes,
            range,
            instance,
        }
    }

    fn synthesize(&self, config: TapeConfig, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
        let ctx = &*self.ctx;
        let plan = Plan::new(ctx);
        range::load_table(&config.range, &mut layouter, plan.lookup_bits)?;
        let mut cells = Cells::new(ctx);
        for (j, lane) in config.lanes.iter().enumerate() {
            assign_lane(&mut layouter, ctx, lane, j, plan.lane_rows[j], &mut cells)?;
        }
        let chips: Vec<Pow5Chip<Fp, 3, 2>> = config
            .lanes
            .iter()
            .map(|lane| Pow5Chip::construct(lane.pow5.clone()))
            .collect();
        for (perm, &lane) in ctx.perms.iter().zip(&plan.perm_lane) {
            let input = perm
                .input
                .map(|v| cells.assigned.get(&v.0).cloned().map(StateWord::from));
            let [Some(i0), Some(i1), Some(i2)] = input else {
                return Err(Error::Synthesis);
            };
            let output =
                <Pow5Chip<Fp, 3, 2> as PoseidonInstructions<Fp, P128Pow5T3, 3, 2>>::permute(
                    &chips[lane],
                    &mut layouter,
                    &[i0, i1, i2],
                )?;
            for (i, word) in output.into_iter().enumerate() {
                cells.place_later(perm.output + i as u32, word.into());
            }
        }
        range::assign(&config.range, &mut layouter, ctx, &plan, &mut cells)?;
        let mut shape_pass = true;
        layouter.assign_region(
            || "copies",
            |mut region| {
                if std::mem::take(&mut shape_pass) {
                    return Ok(());
                }
                for &(a, b) in &ctx.equal {
                    region.constrain_equal(cells.home(a.0)?, cells.home(b.0)?)?;
                }
                for &(a, b) in &cells.deferred {
                    region.constrain_equal(a, b)?;
                }
                Ok(())
            },
        )?;
        for (row, v) in ctx.public.iter().enumerate() {
            layouter.constrain_instance(cells.home(v.0)?, config.instance, row)?;
        }
        Ok(())
    }
}

fn configure_lane(meta: &mut ConstraintSystem<Fp>) -> LaneConfig {
    let advice = [(); 4].map(|()| meta.advice_column());
    for column in advice {
        meta.enable_equality(column);
    }
    let q = [(); 6].map(|()| meta.fixed_column());
    let s = meta.selector();
    meta.create_gate("vanilla", |meta| {
        let s = meta.query_selector(s);
        let [a, b, c, d] = advice.map(|column| meta.query_advice(column, Rotation::cur()));
        let [qa, qb, qc, qd, qm, qk] = q.map(|column| meta.query_fixed(column));
        Constraints::with_selector(
            s,
            [qa * a.clone() + qb * b.clone() + qc * c + qd * d + qm * a * b + qk],
        )
    });
    // The permutation's round constants go in the coefficient columns: the vanilla gate is off
    // in its rows, and its selectors are off in the gate rows.
    let pow5 = Pow5Chip::configure::<P128Pow5T3>(
        meta,
        [advice[0], advice[1], advice[2]],
        advice[3],
        [q[0], q[1], q[2]],
        [q[3], q[4], q[5]],
    );
    LaneConfig { advice, q, s, pow5 }
}

/// The gate rows of lane `j`: tape rows `j, j + LANES, …`.
fn assign_lane(
    layouter: &mut impl Layouter<Fp>,
    ctx: &Ctx,
    lane: &LaneConfig,
    j: usize,
    rows: usize,
    cells: &mut Cells,
) -> Result<(), Error> {
    if rows == 0 {
        return Ok(());
    }
    let mut shape_pass = true;
    layouter.assign_region(
        || format!("lane {j}"),
        |mut region| {
            if std::mem::take(&mut shape_pass) {
                lane.s.enable(&mut region, rows - 1)?;
                for column in lane.q {
                    region.assign_fixed(|| "q", column, rows - 1, || Value::known(Fp::ZERO))?;
                }
                for column in lane.advice {
                    region.assign_advice(|| "", column, rows - 1, || Value::known(Fp::ZERO))?;
                }
                return Ok(());
            }
            for (offset, row) in ctx.rows.iter().skip(j).step_by(LANES).enumerate() {
                let gated = row.gate != NO_GATE;
                if gated {
                    lane.s.enable(&mut region, offset)?;
                    // Every coefficient, zeros too: the gate reads them all.
                    for (&column, &q) in lane.q.iter().zip(&ctx.coeffs[row.gate as usize]) {
                        region.assign_fixed(|| "q", column, offset, || Value::known(q))?;
                    }
                }
                for (&column, &v) in lane.advice.iter().zip(&row.cells) {
                    if v == EMPTY {
                        // The gate reads every cell of its row.
                        if gated {
                            region.assign_advice(
                                || "",
                                column,
                                offset,
                                || Value::known(Fp::ZERO),
                            )?;
                        }
                        continue;
                    }
                    let value = ctx.values[v as usize];
                    let cell =
                        region.assign_advice(|| "", column, offset, || Value::known(value))?;
                    cells.place(&mut region, v, cell)?;
                }
            }
            Ok(())
        },
    )
}

/// The cells laid out so far.
pub(super) struct Cells {
    /// Each `Var`'s first cell.
    homes: Vec<Option<Cell>>,
    /// `Var`s that are permutation inputs, whose cell the chip copies from.
    wanted: Vec<bool>,
    assigned: HashMap<u32, AssignedCell<Fp, Fp>>,
    /// Copy constraints made outside the region of their second cell.
    deferred: Vec<(Cell, Cell)>,
}

impl Cells {
    fn new(ctx: &Ctx) -> Self {
        let mut wanted = vec![false; ctx.values.len()];
        for perm in &ctx.perms {
            for v in perm.input {
                wanted[v.index()] = true;
            }
        }
        Self {
            homes: vec![None; ctx.values.len()],
            wanted,
            assigned: HashMap::new(),
            deferred: Vec::new(),
        }
    }

    /// Records `cell` as holding `v`: its home, or tied to it.
    pub(super) fn place(
        &mut self,
        region: &mut Region<'_, Fp>,
        v: u32,
        cell: AssignedCell<Fp, Fp>,
    ) -> Result<(), Error> {
        let i = v as usize;
        match self.homes[i] {
            Some(home) => region.constrain_equal(home, cell.cell())?,
            None => self.homes[i] = Some(cell.cell()),
        }
        if self.wanted[i] {
            self.assigned.entry(v).or_insert(cell);
        }
        Ok(())
    }

    /// As [`Self::place`], for a cell whose region is closed: the tie goes in the copies region.
    fn place_later(&mut self, v: u32, cell: AssignedCell<Fp, Fp>) {
        let i = v as usize;
        match self.homes[i] {
            Some(home) => self.deferred.push((home, cell.cell())),
            None => self.homes[i] = Some(cell.cell()),
        }
        if self.wanted[i] {
            self.assigned.entry(v).or_insert(cell);
        }
    }

    fn home(&self, v: u32) -> Result<Cell, Error> {
        self.homes[v as usize].ok_or(Error::Synthesis)
    }
}

/// `(rows that are not usable, minimum rows)` of the constraint system: the blinding rows and
/// the last row, as `halo2_proofs` reserves them.
pub(super) fn cs_rows() -> (usize, usize) {
    static ROWS: LazyLock<(usize, usize)> = LazyLock::new(|| {
        let mut cs = ConstraintSystem::<Fp>::default();
        TapeCircuit::configure(&mut cs);
        (cs.blinding_factors() + 1, cs.minimum_rows())
    });
    *ROWS
}
