//! Where everything goes: the rows of each lane and range lane, the lookup width and `k`. Both
//! [`Ctx::stats`] and the layout use it, so `min_k` is the layout's own height.

use super::layout::cs_rows;
use super::{Ctx, LANES, LOOKUP_BITS, MIN_LOOKUP_BITS, PERM_ROWS, RANGE_LANES};

/// The placement of a tape.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    /// The lookup width `B`.
    pub(super) lookup_bits: u32,
    /// Gate rows of each lane: tape row `t` is row `t / LANES` of lane `t mod LANES`.
    pub(super) lane_rows: [usize; LANES],
    /// The lane of each permutation (laid out in tape order after the lane's gate rows).
    pub(super) perm_lane: Vec<usize>,
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
    /// The placement of `ctx`'s tape, with the lookup width that needs the smallest `k` (the
    /// widest such).
    pub(super) fn new(ctx: &Ctx) -> Self {
        let n = ctx.rows.len();
        let lane_rows: [usize; LANES] =
            std::array::from_fn(|j| n.saturating_sub(j).div_ceil(LANES));
        let mut heights = lane_rows;
        let perm_lane: Vec<usize> = ctx
            .perms
            .iter()
            .map(|_| {
                let j = lowest(&heights);
                heights[j] += PERM_ROWS;
                j
            })
            .collect();
        let fixed_part = heights
            .iter()
            .copied()
            .chain([ctx.public.len(), 1])
            .max()
            .unwrap_or(1);
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
            lane_rows,
            perm_lane,
            range_at,
            range_rows,
            lookup_cells,
            rows,
            k: min_k(rows),
        }
    }
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
