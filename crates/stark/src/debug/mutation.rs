//! Deciding, cheaply and exactly, whether a single-cell change to a passing set of traces is
//! caught, for mutation sweeps over every chip.
//!
//! A constraint window covers rows `r` and `r + 1` (cyclically), so changing a cell of row `r`
//! can only break the windows starting at `r - 1` and `r`. A bus interaction reads the same two
//! rows, so the only messages that can change are those of rows `r - 1` and `r`; because the
//! unchanged traces balance, the changed traces balance exactly when those rows' messages, as a
//! multiset with counts, are the same before and after. Checking those two windows therefore
//! decides what [`check`](super::check) would decide on the whole trace, in constant time.

use std::collections::BTreeMap;

use p3_air::{BaseAir, DebugConstraintBuilder};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::Lookups;
use p3_matrix::Matrix;
use p3_matrix::dense::{RowMajorMatrix, RowMajorMatrixView};
use p3_matrix::stack::ViewPair;

use super::{DebugInstance, Rows};
use crate::config::{Challenge, Val};
use crate::prove::StarkAir;

/// Answers "would this single-cell change be rejected?" for a set of traces that passes
/// [`check`](super::check). Build it once per set: it caches every chip's preprocessed trace
/// and bus interactions.
pub struct MutationOracle<'a, A> {
    instances: &'a [DebugInstance<'a, A>],
    preprocessed: Vec<Option<RowMajorMatrix<Val>>>,
    lookups: Vec<Lookups<Val>>,
}

impl<A> std::fmt::Debug for MutationOracle<'_, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MutationOracle")
            .field("instances", &self.instances.len())
            .finish_non_exhaustive()
    }
}

impl<'a, A: StarkAir> MutationOracle<'a, A> {
    /// An oracle over `instances`, which must pass [`check`](super::check) unchanged (the
    /// answers assume it).
    pub fn new(instances: &'a [DebugInstance<'a, A>]) -> Self {
        Self {
            instances,
            preprocessed: instances
                .iter()
                .map(|i| i.air.preprocessed_trace())
                .collect(),
            lookups: instances
                .iter()
                .map(|i| Lookups::<Val>::from_air::<Challenge, A>(i.air))
                .collect(),
        }
    }

    /// Whether setting cell (`row`, `column`) of instance `instance`'s main trace to `value`
    /// makes a constraint fail or a bus unbalance. A `value` equal to the cell's own is never
    /// rejected.
    ///
    /// # Panics
    /// If `instance`, `row` or `column` is out of range.
    pub fn rejects(&self, instance: usize, row: usize, column: usize, value: Val) -> bool {
        let inst = &self.instances[instance];
        let rows = Rows {
            main: inst.trace,
            preprocessed: self.preprocessed[instance].as_ref(),
            public_values: inst.public_values,
        };
        let height = rows.height();
        assert!(
            row < height && column < inst.trace.width(),
            "cell out of range"
        );
        let patch = Some((row, column, value));
        let windows = [(row + height - 1) % height, row];
        let windows = if height == 1 { &windows[1..] } else { &windows };
        if windows
            .iter()
            .any(|&w| !constraints_hold(inst.air, &rows, w, patch))
        {
            return true;
        }
        let net = |patch| {
            let mut net: BTreeMap<(String, Vec<u32>), Val> = BTreeMap::new();
            for &w in windows {
                for (bus, message, count) in rows.messages(&self.lookups[instance], w, patch) {
                    *net.entry((bus, message)).or_insert(Val::ZERO) += count;
                }
            }
            net.retain(|_, count| !count.is_zero());
            net
        };
        net(None) != net(patch)
    }
}

/// Whether every constraint holds on the window starting at `row`, with `patch` applied.
fn constraints_hold<A: StarkAir>(
    air: &A,
    rows: &Rows<'_>,
    row: usize,
    patch: Option<(usize, usize, Val)>,
) -> bool {
    let height = rows.height();
    let next_row = (row + 1) % height;
    let (cur, next) = (rows.main_row(row, patch), rows.main_row(next_row, patch));
    let (pcur, pnext) = (rows.preprocessed_row(row), rows.preprocessed_row(next_row));
    let periodic = BaseAir::<Val>::periodic_values(air, row);
    let mut builder = DebugConstraintBuilder::new(
        row,
        ViewPair::new(
            RowMajorMatrixView::new_row(&cur),
            RowMajorMatrixView::new_row(&next),
        ),
        ViewPair::new(
            RowMajorMatrixView::new_row(&pcur),
            RowMajorMatrixView::new_row(&pnext),
        ),
        rows.public_values,
        Val::from_bool(row == 0),
        Val::from_bool(row + 1 == height),
        Val::from_bool(row + 1 < height),
        &periodic,
    );
    air.eval(&mut builder);
    !builder.has_failures()
}
