//! Column coverage: which main-trace columns no constraint and no bus interaction mentions.
//!
//! A column nothing reads is free for the prover to fill with anything, so it must either not
//! exist or be listed with a reason. The check walks the AIR's symbolic constraints and the
//! messages, counts and flags of its global interactions, collecting every main-trace column
//! they reference (current or next row). Shared sub-expressions are visited once.

use std::collections::HashSet;
use std::sync::Arc;

use p3_air::symbolic::{AirLayout, BaseEntry, BaseLeaf, SymbolicExpr, SymbolicExpression};
use p3_lookup::{InteractionSymbolicBuilder, Kind, Lookups};

use crate::config::{Challenge, Val};
use crate::prove::StarkAir;

/// The main-trace columns of `air` that no constraint and no global bus interaction mentions,
/// in the current or the next row.
pub fn unread_columns<A: StarkAir>(air: &A) -> Vec<usize> {
    let mut builder = InteractionSymbolicBuilder::<Val, Challenge>::new(AirLayout::from_air(air));
    air.eval(&mut builder);
    let mut walk = Walk::default();
    for constraint in builder.base_constraints() {
        walk.expr(&constraint);
    }
    let lookups = Lookups::<Val>::from_air::<Challenge, A>(air);
    for lookup in lookups.iter() {
        if !matches!(lookup.kind, Kind::Global(_)) {
            continue;
        }
        for (k, elements) in lookup.elements.iter().enumerate() {
            walk.expr(&lookup.multiplicities[k]);
            if let Some(flags) = &lookup.flags {
                walk.expr(&flags[k]);
            }
            elements.iter().for_each(|e| walk.expr(e));
        }
    }
    (0..air.width())
        .filter(|c| !walk.columns.contains(c))
        .collect()
}

/// The main columns seen so far, and the shared nodes already walked.
#[derive(Default)]
struct Walk {
    columns: HashSet<usize>,
    seen: HashSet<*const SymbolicExpression<Val>>,
}

impl Walk {
    fn expr(&mut self, e: &SymbolicExpression<Val>) {
        match e {
            SymbolicExpr::Leaf(BaseLeaf::Variable(v)) => {
                if matches!(v.entry, BaseEntry::Main { .. }) {
                    self.columns.insert(v.index);
                }
            }
            SymbolicExpr::Leaf(_) => {}
            SymbolicExpr::Add { x, y, .. }
            | SymbolicExpr::Sub { x, y, .. }
            | SymbolicExpr::Mul { x, y, .. } => {
                self.child(x);
                self.child(y);
            }
            SymbolicExpr::Neg { x, .. } => self.child(x),
        }
    }

    fn child(&mut self, e: &Arc<SymbolicExpression<Val>>) {
        if self.seen.insert(Arc::as_ptr(e)) {
            self.expr(e);
        }
    }
}
