//! A digest of the chips' symbolic constraints as the circuit sees them: every node of the
//! expression DAG once, in the order [`super::ood`] first evaluates it, with its shared
//! sub-expressions as references. The circuit's structure depends on that sharing (the
//! evaluator memoizes by node), so two constraint sets with one digest give one circuit; and
//! printing the expressions instead would expand every shared node at each use (gigabytes for
//! the keccak chip).

use std::collections::HashMap;
use std::fmt::{self, Write};

use geode_stark::{Challenge, Val};
use p3_air::symbolic::{ExtLeaf, SymbolicExpr, SymbolicExpression, SymbolicExpressionExt};

use super::ood::AirConstraints;

/// Writes the digest's text of `constraints` to `out`.
///
/// # Errors
/// If `out` fails.
pub fn write_constraints(out: &mut impl Write, constraints: &[AirConstraints]) -> fmt::Result {
    let mut dag = Dag {
        out,
        ids: HashMap::new(),
        next: 0,
    };
    for (i, air) in constraints.iter().enumerate() {
        write!(dag.out, "air {i}: {} base", air.base.len())?;
        for e in &air.base {
            let id = dag.base(e)?;
            write!(dag.out, " {id}")?;
        }
        write!(dag.out, "; {} ext", air.ext.len())?;
        for e in &air.ext {
            let id = dag.ext(e)?;
            write!(dag.out, " {id}")?;
        }
        writeln!(dag.out)?;
    }
    Ok(())
}

struct Dag<'a, W> {
    out: &'a mut W,
    /// Node ids by address (base and extension nodes are distinct allocations).
    ids: HashMap<*const (), usize>,
    next: usize,
}

type Id = Result<usize, fmt::Error>;

impl<W: Write> Dag<'_, W> {
    /// Writes the node `text` and returns its id.
    fn node(&mut self, text: fmt::Arguments<'_>) -> Id {
        let id = self.next;
        self.next += 1;
        writeln!(self.out, "{id}={text}")?;
        Ok(id)
    }

    fn base(&mut self, e: &SymbolicExpression<Val>) -> Id {
        self.expr(e, &mut |dag, leaf| dag.node(format_args!("{leaf:?}")))
    }

    fn ext(&mut self, e: &SymbolicExpressionExt<Val, Challenge>) -> Id {
        self.expr(e, &mut |dag, leaf| match leaf {
            ExtLeaf::Base(inner) => {
                let inner = dag.base(inner)?;
                dag.node(format_args!("base {inner}"))
            }
            leaf => dag.node(format_args!("{leaf:?}")),
        })
    }

    /// A node and, the first time, the nodes under it; `leaf` writes a leaf.
    fn expr<A>(&mut self, e: &SymbolicExpr<A>, leaf: &mut dyn FnMut(&mut Self, &A) -> Id) -> Id {
        let key = (e as *const SymbolicExpr<A>).cast::<()>();
        if let Some(&id) = self.ids.get(&key) {
            return Ok(id);
        }
        let id = match e {
            SymbolicExpr::Leaf(l) => leaf(self, l)?,
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.expr(x, leaf)?, self.expr(y, leaf)?);
                self.node(format_args!("{x}+{y}"))?
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.expr(x, leaf)?, self.expr(y, leaf)?);
                self.node(format_args!("{x}-{y}"))?
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.expr(x, leaf)?;
                self.node(format_args!("-{x}"))?
            }
            SymbolicExpr::Mul { x, y, .. } => {
                let (x, y) = (self.expr(x, leaf)?, self.expr(y, leaf)?);
                self.node(format_args!("{x}*{y}"))?
            }
        };
        self.ids.insert(key, id);
        Ok(id)
    }
}
