//! The debug checker: on a bad trace, names the chip, row, constraint and the row's named cells,
//! or the unbalanced bus message and where it was sent. For tests and for `--debug` proving;
//! the prover itself does not rely on it.

use std::collections::BTreeMap;
use std::fmt;

use p3_air::{AirBuilder, RowWindow, check_all_constraints};
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};
use p3_lookup::{Kind, Lookups};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

use crate::config::{Challenge, Val};
use crate::prove::StarkAir;

mod coverage;
mod mutation;

pub use coverage::unread_columns;
pub use mutation::MutationOracle;

/// Stop collecting after this many failures: a fully broken trace would list every row.
const MAX_FAILURES: usize = 64;

/// One chip's trace to check.
#[derive(Debug)]
pub struct DebugInstance<'a, A> {
    /// The chip.
    pub air: &'a A,
    /// Its trace.
    pub trace: &'a RowMajorMatrix<Val>,
    /// Its public values.
    pub public_values: &'a [Val],
}

/// One thing wrong with a set of traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DebugFailure {
    /// A constraint does not hold on a row.
    Constraint {
        /// Chip name.
        chip: String,
        /// Row index.
        row: usize,
        /// Constraint index in evaluation order (and its label, if the AIR gave one).
        constraint: String,
        /// The row's cells, by column name.
        cells: Vec<(String, u32)>,
    },
    /// A bus message is sent more (or fewer) times than it is received.
    Bus {
        /// Bus name.
        bus: String,
        /// The message.
        message: Vec<u32>,
        /// Net multiplicity (sends minus receives), as a field element.
        net: u32,
        /// Where it occurs: (chip, row, multiplicity there).
        at: Vec<(String, usize, u32)>,
    },
}

impl DebugFailure {
    /// The chip (for a constraint failure) or bus (for an imbalance) this failure names.
    pub fn subject(&self) -> &str {
        match self {
            DebugFailure::Constraint { chip, .. } => chip,
            DebugFailure::Bus { bus, .. } => bus,
        }
    }
}

impl fmt::Display for DebugFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DebugFailure::Constraint {
                chip,
                row,
                constraint,
                cells,
            } => {
                write!(
                    f,
                    "chip {chip}, row {row}: constraint {constraint} fails; row = {{"
                )?;
                for (k, (name, value)) in cells.iter().enumerate() {
                    write!(f, "{}{name}: {value}", if k > 0 { ", " } else { "" })?;
                }
                write!(f, "}}")
            }
            DebugFailure::Bus {
                bus,
                message,
                net,
                at,
            } => {
                let net = if *net > Val::ORDER_U32 / 2 {
                    -i64::from(Val::ORDER_U32 - net)
                } else {
                    i64::from(*net)
                };
                write!(
                    f,
                    "bus {bus}: message {message:?} has net multiplicity {net} (at {at:?})"
                )
            }
        }
    }
}

/// Checks every constraint of every chip on every row, and that every bus balances.
///
/// # Errors
/// The failures found (at most 64).
pub fn check<A: StarkAir>(instances: &[DebugInstance<'_, A>]) -> Result<(), Vec<DebugFailure>> {
    let mut failures = Vec::new();
    for inst in instances {
        let report =
            check_all_constraints(inst.air, inst.trace, inst.public_values, Some(MAX_FAILURES));
        let names = inst.air.column_names();
        for failure in report.failures {
            let row = inst
                .trace
                .row_slice(failure.row)
                .map(|r| r.to_vec())
                .unwrap_or_default();
            failures.push(DebugFailure::Constraint {
                chip: inst.air.name().to_owned(),
                row: failure.row,
                constraint: failure.to_string(),
                cells: names
                    .iter()
                    .cloned()
                    .zip(row.iter().map(|v| v.as_canonical_u32()))
                    .collect(),
            });
        }
    }
    failures.extend(bus_imbalances(instances));
    failures.truncate(MAX_FAILURES);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

/// [`check`] on `(air, trace)` pairs whose AIRs take no public values.
///
/// # Errors
/// The failures found (at most 64).
pub fn check_pairs<'a, A: StarkAir + 'a>(
    pairs: impl IntoIterator<Item = (&'a A, &'a RowMajorMatrix<Val>)>,
) -> Result<(), Vec<DebugFailure>> {
    let instances: Vec<_> = pairs
        .into_iter()
        .map(|(air, trace)| DebugInstance {
            air,
            trace,
            public_values: &[],
        })
        .collect();
    check(&instances)
}

type Multiset = BTreeMap<Vec<u32>, (Val, Vec<(String, usize, u32)>)>;

fn bus_imbalances<A: StarkAir>(instances: &[DebugInstance<'_, A>]) -> Vec<DebugFailure> {
    let mut buses: BTreeMap<String, Multiset> = BTreeMap::new();
    for inst in instances {
        let lookups = Lookups::<Val>::from_air::<Challenge, A>(inst.air);
        let prep = inst.air.preprocessed_trace();
        let rows = Rows {
            main: inst.trace,
            preprocessed: prep.as_ref(),
            public_values: inst.public_values,
        };
        for row in 0..inst.trace.height() {
            for (bus, message, count) in rows.messages(&lookups, row, None) {
                let entry = buses
                    .entry(bus)
                    .or_default()
                    .entry(message)
                    .or_insert((Val::ZERO, Vec::new()));
                entry.0 += count;
                if entry.1.len() < 8 {
                    entry
                        .1
                        .push((inst.air.name().to_owned(), row, count.as_canonical_u32()));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (bus, set) in buses {
        for (message, (net, at)) in set {
            if !net.is_zero() {
                out.push(DebugFailure::Bus {
                    bus: bus.clone(),
                    message,
                    net: net.as_canonical_u32(),
                    at,
                });
            }
        }
    }
    out
}

/// One chip's trace, preprocessed trace and public values, read row by row.
struct Rows<'a> {
    main: &'a RowMajorMatrix<Val>,
    preprocessed: Option<&'a RowMajorMatrix<Val>>,
    public_values: &'a [Val],
}

/// A cell to read with another value: (row, column, value).
type Override = (usize, usize, Val);

impl Rows<'_> {
    fn height(&self) -> usize {
        self.main.height()
    }

    /// Row `row` of the main trace, with `patch` applied if it lands there.
    fn main_row(&self, row: usize, patch: Option<Override>) -> Vec<Val> {
        let mut values = self
            .main
            .row_slice(row)
            .map(|r| r.to_vec())
            .unwrap_or_default();
        if let Some((r, c, v)) = patch
            && r == row
        {
            values[c] = v;
        }
        values
    }

    fn preprocessed_row(&self, row: usize) -> Vec<Val> {
        self.preprocessed
            .and_then(|p| p.row_slice(row).map(|r| r.to_vec()))
            .unwrap_or_default()
    }

    /// The global bus messages that row `row` (with its next row) sends or receives, with their
    /// signed counts; zero counts are left out.
    fn messages(
        &self,
        lookups: &Lookups<Val>,
        row: usize,
        patch: Option<Override>,
    ) -> Vec<(String, Vec<u32>, Val)> {
        let height = self.height();
        let next_row = (row + 1) % height;
        let (cur, next) = (self.main_row(row, patch), self.main_row(next_row, patch));
        let (pcur, pnext) = (self.preprocessed_row(row), self.preprocessed_row(next_row));
        let eval = RowEval {
            main: RowWindow::from_two_rows(&cur, &next),
            preprocessed: RowWindow::from_two_rows(&pcur, &pnext),
            public_values: self.public_values,
            row,
            height,
        };
        let mut out = Vec::new();
        for lookup in lookups.iter() {
            let Kind::Global(bus) = &lookup.kind else {
                continue;
            };
            for (k, elements) in lookup.elements.iter().enumerate() {
                let mut count = lookup.multiplicities[k].resolve(&eval);
                if let Some(flags) = &lookup.flags {
                    count *= flags[k].resolve(&eval);
                }
                if count.is_zero() {
                    continue;
                }
                let message = elements
                    .iter()
                    .map(|e| e.resolve(&eval).as_canonical_u32())
                    .collect();
                out.push((bus.clone(), message, count));
            }
        }
        out
    }
}

/// Evaluates symbolic expressions on one concrete row.
struct RowEval<'a> {
    main: RowWindow<'a, Val>,
    preprocessed: RowWindow<'a, Val>,
    public_values: &'a [Val],
    row: usize,
    height: usize,
}

impl<'a> AirBuilder for RowEval<'a> {
    type F = Val;
    type Expr = Val;
    type Var = Val;
    type PreprocessedWindow = RowWindow<'a, Val>;
    type MainWindow = RowWindow<'a, Val>;
    type PublicVar = Val;
    type PeriodicVar = Val;

    fn main(&self) -> Self::MainWindow {
        self.main
    }
    fn preprocessed(&self) -> &Self::PreprocessedWindow {
        &self.preprocessed
    }
    fn is_first_row(&self) -> Val {
        Val::from_bool(self.row == 0)
    }
    fn is_last_row(&self) -> Val {
        Val::from_bool(self.row + 1 == self.height)
    }
    fn is_transition(&self) -> Val {
        Val::from_bool(self.row + 1 < self.height)
    }
    fn assert_zero<I: Into<Val>>(&mut self, _: I) {}
    fn public_values(&self) -> &[Val] {
        self.public_values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_nets_print_signed() {
        let f = DebugFailure::Bus {
            bus: "b".into(),
            message: vec![1],
            net: Val::ORDER_U32 - 1,
            at: vec![],
        };
        assert!(f.to_string().contains("net multiplicity -1"), "{f}");
    }
}
