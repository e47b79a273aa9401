//! Range checks: running sums in the range lanes, each row looked up in the tagged table
//! `{(w, v) : 0 ≤ w ≤ B, 0 ≤ v < 2^w}`.
//!
//! A check of `a` to `bits` bits at width `B` is `n = ⌈bits / B⌉` rows `z_0 = a, …, z_{n−1}`
//! with the lookup input `(tag, z − m·z_next)`:
//!
//! | row | `z` | `tag` | `m` | looked up |
//! |---|---|---|---|---|
//! | `i < n − 1` | `⌊a / 2^(B·i)⌋` | `B` | `2^B` | `z_i − 2^B·z_{i+1} ∈ [0, 2^B)` |
//! | `n − 1` | `⌊a / 2^(B·(n−1))⌋` | `bits − B·(n−1)` | `0` | `z_{n−1} ∈ [0, 2^tag)` |
//!
//! Rows outside the checks have `tag = m = z = 0`, which reads `(0, 0)`, in the table. Each
//! looked-up value is a limb `l_i` below `2^B` (the last below `2^tag`), and telescoping gives
//! `a = Σ l_i·2^(B·i)` in `Fp`; the right side is an integer below `2^bits ≤ 2^254`, below the
//! modulus, so it is `a`'s canonical integer. The table is the only thing the width changes: the
//! lookup expression does not depend on it.

use ff::Field;
use halo2_proofs::circuit::{AssignedCell, Layouter, Region, Value};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Fixed, TableColumn};
use halo2_proofs::poly::Rotation;

use super::gadgets::{bits_of, pow2};
use super::layout::Cells;
use super::plan::{Plan, check_rows};
use super::{Ctx, Fp, RANGE_LANES};

/// The range lanes and the table.
#[derive(Clone, Debug)]
pub(super) struct RangeConfig {
    lanes: [RangeLane; RANGE_LANES],
    /// `(width, value)`.
    table: [TableColumn; 2],
}

#[derive(Clone, Copy, Debug)]
struct RangeLane {
    z: Column<Advice>,
    tag: Column<Fixed>,
    m: Column<Fixed>,
}

pub(super) fn configure(meta: &mut ConstraintSystem<Fp>) -> RangeConfig {
    let table = [meta.lookup_table_column(), meta.lookup_table_column()];
    let lanes = std::array::from_fn(|_| {
        let lane = RangeLane {
            z: meta.advice_column(),
            tag: meta.fixed_column(),
            m: meta.fixed_column(),
        };
        meta.enable_equality(lane.z);
        meta.lookup(|meta| {
            let z = meta.query_advice(lane.z, Rotation::cur());
            let z_next = meta.query_advice(lane.z, Rotation::next());
            let tag = meta.query_fixed(lane.tag);
            let m = meta.query_fixed(lane.m);
            vec![(tag, table[0]), (z - m * z_next, table[1])]
        });
        lane
    });
    RangeConfig { lanes, table }
}

/// Fills the table for width `bits`, `(0, 0)` first (the value the rest of the column repeats).
pub(super) fn load_table(
    config: &RangeConfig,
    layouter: &mut impl Layouter<Fp>,
    bits: u32,
) -> Result<(), Error> {
    layouter.assign_table(
        || "range table",
        |mut table| {
            let mut row = 0;
            for w in 0..=bits {
                let tag = Fp::from(u64::from(w));
                for v in 0..1u64 << w {
                    table.assign_cell(|| "width", config.table[0], row, || Value::known(tag))?;
                    let value = Fp::from(v);
                    table.assign_cell(|| "value", config.table[1], row, || Value::known(value))?;
                    row += 1;
                }
            }
            Ok(())
        },
    )
}

/// Lays the range checks out in one region (its first pass, the floor planner's shape pass,
/// only marks each lane's last row).
pub(super) fn assign(
    config: &RangeConfig,
    layouter: &mut impl Layouter<Fp>,
    ctx: &Ctx,
    plan: &Plan,
    cells: &mut Cells,
) -> Result<(), Error> {
    let bits = plan.lookup_bits;
    let step = pow2(bits as usize);
    let mut shape_pass = true;
    layouter.assign_region(
        || "range checks",
        |mut region| {
            if std::mem::take(&mut shape_pass) {
                for (lane, &rows) in config.lanes.iter().zip(&plan.range_rows) {
                    if rows > 0 {
                        assign_row(&mut region, lane, rows - 1, Fp::ZERO, 0, step)?;
                    }
                }
                return Ok(());
            }
            for (i, check) in ctx.ranges.iter().enumerate() {
                let (lane, start) = plan.range_at[i];
                let lane = &config.lanes[lane];
                let n = check_rows(check.bits, bits);
                let a = ctx.value(check.var);
                let dishonest = ctx.range_witness.get(&i);
                for r in 0..n {
                    let z = match dishonest {
                        Some(z) => z.get(r).copied().unwrap_or(Fp::ZERO),
                        None => bits_of(a, bits as usize * r, 256),
                    };
                    let last = r + 1 == n;
                    let (tag, m) = if last {
                        (check.bits - bits * (n as u32 - 1), Fp::ZERO)
                    } else {
                        (bits, step)
                    };
                    let cell = assign_row(&mut region, lane, start + r, z, tag, m)?;
                    if r == 0 {
                        cells.place(&mut region, check.var.0, cell)?;
                    }
                }
            }
            Ok(())
        },
    )
}

fn assign_row(
    region: &mut Region<'_, Fp>,
    lane: &RangeLane,
    offset: usize,
    z: Fp,
    tag: u32,
    m: Fp,
) -> Result<AssignedCell<Fp, Fp>, Error> {
    let tag = Fp::from(u64::from(tag));
    region.assign_fixed(|| "tag", lane.tag, offset, || Value::known(tag))?;
    if m != Fp::ZERO {
        region.assign_fixed(|| "m", lane.m, offset, || Value::known(m))?;
    }
    region.assign_advice(|| "z", lane.z, offset, || Value::known(z))
}
