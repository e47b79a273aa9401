//! Where everything goes: the rows of each lane and range lane, the lookup width and `k`. Both
//! [`Ctx::stats`] and the layout use it, so `min_k` is the layout's own height.

use super::layout::cs_rows;
use super::{Ctx, LOOKUP_BITS, MIN_LOOKUP_BITS, NO_GATE, PERM_ROWS, RANGE_LANES};

/// The placement of a tape.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    /// The lookup width `B`.
    pub(super) lookup_bits: u32,
    /// The gate rows of the tape by coefficients, in the order laid out: `(gate, tape rows)`,
    /// `lanes` tape rows to a circuit row (a group's last circuit row may be partly filled).
    pub(super) groups: Vec<(u32, Vec<u32>)>,
    /// Circuit rows of the gate groups; the permutations' batches follow them.
    pub(super) gate_rows: usize,
    /// Batches of `lanes` permutations in lockstep, [`PERM_ROWS`] rows each.
    pub(super) perm_batches: usize,
    /// `(range lane, first row)` of each range check.
    pub(super) range_at: Vec<(usize, usize)>,
    /// Rows of each range lane.
    pub(super) range_rows: [usize; RANGE_LANES],
    /// Running-sum cells over all range checks.
    pub(super) lookup_cells: usize,
    /// Usable rows needed.
    pub(super) rows: usize,
    /// The smallest `k` that has them.
    pub(super) k: u32,
}

impl Plan {
    /// The placement of `ctx`'s tape on `lanes` lanes, with the lookup width that needs the
    /// smallest `k` (the widest such).
    pub(super) fn new(ctx: &Ctx, lanes: usize) -> Self {
        let groups = group_rows(ctx);
        let gate_rows: usize = groups
            .iter()
            .map(|(_, rows)| rows.len().div_ceil(lanes))
            .sum();
        let perm_batches = ctx.perms.len().div_ceil(lanes);
        let main_rows = gate_rows + PERM_ROWS * perm_batches;
        let fixed_part = main_rows.max(ctx.public.len()).max(1);
        let (mut best_k, mut best_bits) = (u32::MAX, MIN_LOOKUP_BITS);
        for bits in MIN_LOOKUP_BITS..=LOOKUP_BITS {
            let table = table_rows(bits);
            if min_k(table) > best_k {
                break;
            }
            let (_, range_rows) = place_ranges(ctx, bits);
            let rows = fixed_part
                .max(table)
                .max(range_rows.into_iter().max().unwrap_or(0));
            let k = min_k(rows);
            if k <= best_k {
                (best_k, best_bits) = (k, bits);
            }
        }
        let (range_at, range_rows) = place_ranges(ctx, best_bits);
        let lookup_cells = range_rows.iter().sum();
        let rows = fixed_part
            .max(table_rows(best_bits))
            .max(range_rows.into_iter().max().unwrap_or(0));
        Self {
            lookup_bits: best_bits,
            groups,
            gate_rows,
            perm_batches,
            range_at,
            range_rows,
            lookup_cells,
            rows,
            k: min_k(rows),
        }
    }
}

/// The tape's gate rows grouped by their coefficients (witness-only rows, [`NO_GATE`], are a
/// group too), each group in tape order, the groups in order of first appearance: the order
/// depends on the shape only.
fn group_rows(ctx: &Ctx) -> Vec<(u32, Vec<u32>)> {
    let mut by_gate: Vec<Vec<u32>> = vec![Vec::new(); ctx.coeffs.len() + 1];
    let mut order = Vec::new();
    for (t, row) in ctx.rows.iter().enumerate() {
        let g = if row.gate == NO_GATE {
            ctx.coeffs.len()
        } else {
            row.gate as usize
        };
        if by_gate[g].is_empty() {
            order.push(g);
        }
        by_gate[g].push(u32::try_from(t).expect("fewer than 2^32 rows"));
    }
    order
        .into_iter()
        .map(|g| {
            let gate = if g == ctx.coeffs.len() {
                NO_GATE
            } else {
                g as u32
            };
            (gate, std::mem::take(&mut by_gate[g]))
        })
        .collect()
}

/// Rows of the lookup table for width `bits`: `(w, v)` for `w ≤ bits`, `v < 2^w`.
pub(super) fn table_rows(bits: u32) -> usize {
    (1 << (bits + 1)) - 1
}

/// Running-sum rows of a check of `bits` bits at width `lookup_bits`.
pub(super) fn check_rows(bits: u32, lookup_bits: u32) -> usize {
    bits.div_ceil(lookup_bits) as usize
}

/// Each check in the range lane that is then lowest: `(lane, first row)`, and the lanes' rows.
fn place_ranges(ctx: &Ctx, lookup_bits: u32) -> (Vec<(usize, usize)>, [usize; RANGE_LANES]) {
    let mut heights = [0; RANGE_LANES];
    let at = ctx
        .ranges
        .iter()
        .map(|check| {
            let lane = lowest(&heights);
            let start = heights[lane];
            heights[lane] += check_rows(check.bits, lookup_bits);
            (lane, start)
        })
        .collect();
    (at, heights)
}

/// The index of the smallest entry (the first of equals).
fn lowest(heights: &[usize]) -> usize {
    let mut best = 0;
    for (i, &h) in heights.iter().enumerate() {
        if h < heights[best] {
            best = i;
        }
    }
    best
}

/// The smallest `k` with `rows` usable rows (`2^k` minus the blinding rows and the last row).
pub(super) fn min_k(rows: usize) -> u32 {
    let (unusable, minimum) = cs_rows();
    let mut k = 1;
    while (1usize << k) < minimum || (1usize << k) - unusable < rows {
        k += 1;
    }
    k
}
