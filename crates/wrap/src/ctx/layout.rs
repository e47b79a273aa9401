//! [`TapeCircuit`]: the columns, the gates, and the layout of a recorded tape.
//!
//! Order of synthesis: the lookup table; one region with every gate row (grouped by
//! coefficients, `L` tape rows to a circuit row) and then the permutations (`L` in lockstep per
//! batch); one region with the range checks; one region of copy constraints
//! (`assert_eq`); the instance rows. A `Var`'s first cell in that order is its home and every
//! later cell is tied to it. The regions are laid out in two passes by `SimpleFloorPlanner`
//! (shape, then assignment): the shape pass only touches each column's last row, which gives
//! the floor planner the region's true extent at no cost.

use std::sync::{Arc, LazyLock};

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Cell, Layouter, Region, SimpleFloorPlanner, Value};
use halo2_proofs::plonk::{
    Advice, Circuit, Column, ConstraintSystem, Error, Expression, Fixed, Instance,
};
use halo2_proofs::poly::Rotation;

use super::plan::Plan;
use super::poseidon::{self, OUTPUT_ROW, PERM_ROWS, PoseidonConfig, RowKind};
use super::range::{self, RangeConfig};
use super::{Ctx, EMPTY, Fp, LANES, MIN_DEGREE, NARROW_LANES, NO_GATE};

/// A tape laid out as a circuit of `L` lanes (see the [module documentation](super)).
#[derive(Clone, Debug)]
pub struct TapeCircuit<const L: usize = LANES> {
    ctx: Arc<Ctx>,
}

impl TapeCircuit {
    /// The circuit of `ctx`'s tape on [`LANES`] lanes.
    pub fn new(ctx: Ctx) -> Self {
        Self::on_lanes(ctx)
    }
}

impl<const L: usize> TapeCircuit<L> {
    /// The circuit of `ctx`'s tape on `L` lanes.
    pub fn on_lanes(ctx: Ctx) -> Self {
        Self { ctx: Arc::new(ctx) }
    }

    /// The smallest `k` whose usable rows hold the layout (and the lookup table).
    pub fn min_k(&self) -> u32 {
        self.ctx.stats_for(L).min_k
    }

    /// The tape.
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }
}

/// A tape laid out on the lanes that suit it: [`NARROW_LANES`] when they need no larger `k`
/// than [`LANES`] (fewer columns: a smaller proof, and less memory and work for the prover),
/// else [`LANES`]. The choice depends on the tape's shape only.
#[derive(Clone, Debug)]
pub enum WrapCircuit {
    /// On [`NARROW_LANES`] lanes.
    Narrow(TapeCircuit<NARROW_LANES>),
    /// On [`LANES`] lanes.
    Wide(TapeCircuit<LANES>),
}

/// The lanes [`WrapCircuit::new`] lays `ctx`'s tape out on.
pub fn lanes_for(ctx: &Ctx) -> usize {
    if ctx.stats_for(NARROW_LANES).min_k <= ctx.stats_for(LANES).min_k {
        NARROW_LANES
    } else {
        LANES
    }
}

/// Runs `$body` with `$c` bound to the [`TapeCircuit`] inside a [`WrapCircuit`].
#[macro_export]
macro_rules! with_circuit {
    ($circuit:expr, $c:ident => $body:expr) => {
        match $circuit {
            $crate::ctx::WrapCircuit::Narrow($c) => $body,
            $crate::ctx::WrapCircuit::Wide($c) => $body,
        }
    };
}

impl WrapCircuit {
    /// `ctx`'s tape on the lanes that suit it.
    pub fn new(ctx: Ctx) -> Self {
        if lanes_for(&ctx) == NARROW_LANES {
            Self::Narrow(TapeCircuit::on_lanes(ctx))
        } else {
            Self::Wide(TapeCircuit::on_lanes(ctx))
        }
    }

    /// The number of lanes.
    pub fn lanes(&self) -> usize {
        match self {
            Self::Narrow(_) => NARROW_LANES,
            Self::Wide(_) => LANES,
        }
    }

    /// The smallest `k` whose usable rows hold the layout.
    pub fn min_k(&self) -> u32 {
        with_circuit!(self, c => c.min_k())
    }

    /// The tape.
    pub fn ctx(&self) -> &Ctx {
        with_circuit!(self, c => c.ctx())
    }
}

/// The columns of a [`TapeCircuit`].
#[derive(Clone, Debug)]
pub struct TapeConfig<const L: usize> {
    /// `a, b, c, d` of each lane.
    lanes: [[Column<Advice>; 4]; L],
    /// `q_a, q_b, q_c, q_d, q_m, q_const`, shared by the lanes.
    q: [Column<Fixed>; 6],
    poseidon: PoseidonConfig,
    range: RangeConfig,
    instance: Column<Instance>,
}

impl<const L: usize> Circuit<Fp> for TapeCircuit<L> {
    type Config = TapeConfig<L>;
    type FloorPlanner = SimpleFloorPlanner;

    /// The same tape: key generation reads only its shape, which does not depend on the
    /// witness (see the module's soundness notes), and the values it carries are never read.
    fn without_witnesses(&self) -> Self {
        self.clone()
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> TapeConfig<L> {
        meta.set_minimum_degree(MIN_DEGREE);
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        let lanes = [(); L].map(|()| {
            let lane = [(); 4].map(|()| meta.advice_column());
            for column in lane {
                meta.enable_equality(column);
            }
            lane
        });
        let q = [(); 6].map(|()| meta.fixed_column());
        let poseidon = poseidon::configure(meta, &lanes, q);
        // The vanilla gate holds on every row but the permutations' rounds, whose constants are
        // in the coefficient columns; rows where nothing is placed have zero coefficients.
        meta.create_gate("vanilla", |meta| {
            let on = Expression::Constant(Fp::ONE)
                - meta.query_selector(poseidon.s_full)
                - meta.query_selector(poseidon.s_partial);
            let [qa, qb, qc, qd, qm, qk] = q.map(|column| meta.query_fixed(column));
            let polys: Vec<_> = lanes
                .iter()
                .map(|lane| {
                    let [a, b, c, d] =
                        lane.map(|column| meta.query_advice(column, Rotation::cur()));
                    on.clone()
                        * (qa.clone() * a.clone()
                            + qb.clone() * b.clone()
                            + qc.clone() * c
                            + qd.clone() * d
                            + qm.clone() * a * b
                            + qk.clone())
                })
                .collect();
            polys
        });
        let range = range::configure(meta);
        TapeConfig {
            lanes,
            q,
            poseidon,
            range,
            instance,
        }
    }

    fn synthesize(
        &self,
        config: TapeConfig<L>,
        mut layouter: impl Layouter<Fp>,
    ) -> Result<(), Error> {
        let ctx = &*self.ctx;
        let plan = Plan::new(ctx, L);
        range::load_table(&config.range, &mut layouter, plan.lookup_bits)?;
        let mut cells = Cells::new(ctx);
        assign_main(&mut layouter, ctx, &config, &plan, &mut cells)?;
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
                Ok(())
            },
        )?;
        for (row, v) in ctx.public.iter().enumerate() {
            layouter.constrain_instance(cells.home(v.0)?, config.instance, row)?;
        }
        Ok(())
    }
}

/// The gate rows, then the permutations, in one region.
fn assign_main<const L: usize>(
    layouter: &mut impl Layouter<Fp>,
    ctx: &Ctx,
    config: &TapeConfig<L>,
    plan: &Plan,
    cells: &mut Cells,
) -> Result<(), Error> {
    let rows = plan.gate_rows + PERM_ROWS * plan.perm_batches;
    if rows == 0 {
        return Ok(());
    }
    let mut shape_pass = true;
    layouter.assign_region(
        || "gates and permutations",
        |mut region| {
            if std::mem::take(&mut shape_pass) {
                if plan.perm_batches > 0 {
                    config.poseidon.s_full.enable(&mut region, rows - 1)?;
                    config.poseidon.s_partial.enable(&mut region, rows - 1)?;
                }
                for column in config.q {
                    region.assign_fixed(|| "q", column, rows - 1, || Value::known(Fp::ZERO))?;
                }
                for column in config.lanes.iter().flatten() {
                    region.assign_advice(|| "", *column, rows - 1, || Value::known(Fp::ZERO))?;
                }
                return Ok(());
            }
            let mut offset = 0;
            for (gate, tape_rows) in &plan.groups {
                let q = match *gate {
                    NO_GATE => [Fp::ZERO; 6],
                    g => ctx.coeffs[g as usize],
                };
                for chunk in tape_rows.chunks(L) {
                    assign_fixed_row(&mut region, config, offset, &q)?;
                    for (j, lane) in config.lanes.iter().enumerate() {
                        // A lane without a tape row repeats the first lane's values, which
                        // satisfy the same gate, in cells no copy constraint reads.
                        let (row, placed) = match chunk.get(j) {
                            Some(&t) => (&ctx.rows[t as usize], true),
                            None => (&ctx.rows[chunk[0] as usize], false),
                        };
                        for (&column, &v) in lane.iter().zip(&row.cells) {
                            let value = if v == EMPTY {
                                Fp::ZERO
                            } else {
                                ctx.values[v as usize]
                            };
                            let cell = region.assign_advice(
                                || "",
                                column,
                                offset,
                                || Value::known(value),
                            )?;
                            if placed && v != EMPTY {
                                cells.place(&mut region, v, cell)?;
                            }
                        }
                    }
                    offset += 1;
                }
            }
            for batch in ctx.perms.chunks(L) {
                for r in 0..PERM_ROWS {
                    assign_fixed_row(&mut region, config, offset + r, &poseidon::fixed_row(r))?;
                    match poseidon::row_kind(r) {
                        RowKind::Full(_) => {
                            config.poseidon.s_full.enable(&mut region, offset + r)?
                        }
                        RowKind::Partial(_) => {
                            config.poseidon.s_partial.enable(&mut region, offset + r)?
                        }
                        RowKind::Output => {}
                    }
                }
                for (j, lane) in config.lanes.iter().enumerate() {
                    let perm = batch.get(j);
                    let input = perm.map_or([Fp::ZERO; 3], |p| p.input.map(|v| ctx.value(v)));
                    let mut trace = poseidon::trace(input);
                    // The output row holds the output `Var`s' values: a tampered tape is
                    // then caught by the last round's gate.
                    if let Some(p) = perm {
                        for (i, cell) in trace[OUTPUT_ROW].iter_mut().take(3).enumerate() {
                            *cell = ctx.values[(p.output + i as u32) as usize];
                        }
                    }
                    for (r, values) in trace.iter().enumerate() {
                        for (i, (&column, &value)) in lane.iter().zip(values).enumerate() {
                            let cell = region.assign_advice(
                                || "",
                                column,
                                offset + r,
                                || Value::known(value),
                            )?;
                            let Some(p) = perm else { continue };
                            if r == 0 && i < 3 {
                                cells.place(&mut region, p.input[i].0, cell)?;
                            } else if r == OUTPUT_ROW && i < 3 {
                                cells.place(&mut region, p.output + i as u32, cell)?;
                            }
                        }
                    }
                }
                offset += PERM_ROWS;
            }
            Ok(())
        },
    )
}

fn assign_fixed_row<const L: usize>(
    region: &mut Region<'_, Fp>,
    config: &TapeConfig<L>,
    offset: usize,
    q: &[Fp; 6],
) -> Result<(), Error> {
    for (&column, &value) in config.q.iter().zip(q) {
        region.assign_fixed(|| "q", column, offset, || Value::known(value))?;
    }
    Ok(())
}

/// The cells laid out so far.
pub(super) struct Cells {
    /// Each `Var`'s first cell.
    homes: Vec<Option<Cell>>,
}

impl Cells {
    fn new(ctx: &Ctx) -> Self {
        Self {
            homes: vec![None; ctx.values.len()],
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
        Ok(())
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
        TapeCircuit::<LANES>::configure(&mut cs);
        (cs.blinding_factors() + 1, cs.minimum_rows())
    });
    *ROWS
}
