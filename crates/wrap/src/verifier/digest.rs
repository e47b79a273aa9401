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
        base: HashMap::new(),
        ext: HashMap::new(),
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
    base: HashMap<*const SymbolicExpression<Val>, usize>,
    ext: HashMap<*const SymbolicExpressionExt<Val, Challenge>, usize>,
    next: usize,
}

impl<W: Write> Dag<'_, W> {
    /// Writes the node `text` and returns its id.
    fn node(&mut self, text: fmt::Arguments<'_>) -> Result<usize, fmt::Error> {
        let id = self.next;
        self.next += 1;
        writeln!(self.out, "{id}={text}")?;
        Ok(id)
    }

    fn base(&mut self, e: &SymbolicExpression<Val>) -> Result<usize, fmt::Error> {
        let key = e as *const _;
        if let Some(&id) = self.base.get(&key) {
            return Ok(id);
        }
        let id = match e {
            SymbolicExpr::Leaf(leaf) => self.node(format_args!("{leaf:?}"))?,
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.base(x)?, self.base(y)?);
                self.node(format_args!("{x}+{y}"))?
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.base(x)?, self.base(y)?);
                self.node(format_args!("{x}-{y}"))?
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.base(x)?;
                self.node(format_args!("-{x}"))?
            }
            SymbolicExpr::Mul { x, y, .. } => {
                let (x, y) = (self.base(x)?, self.base(y)?);
                self.node(format_args!("{x}*{y}"))?
            }
        };
        self.base.insert(key, id);
        Ok(id)
    }

    fn ext(&mut self, e: &SymbolicExpressionExt<Val, Challenge>) -> Result<usize, fmt::Error> {
        let key = e as *const _;
        if let Some(&id) = self.ext.get(&key) {
            return Ok(id);
        }
        let id = match e {
            SymbolicExpr::Leaf(ExtLeaf::Base(inner)) => {
                let inner = self.base(inner)?;
                self.node(format_args!("base {inner}"))?
            }
            SymbolicExpr::Leaf(leaf) => self.node(format_args!("{leaf:?}"))?,
            SymbolicExpr::Add { x, y, .. } => {
                let (x, y) = (self.ext(x)?, self.ext(y)?);
                self.node(format_args!("{x}+{y}"))?
            }
            SymbolicExpr::Sub { x, y, .. } => {
                let (x, y) = (self.ext(x)?, self.ext(y)?);
                self.node(format_args!("{x}-{y}"))?
            }
            SymbolicExpr::Neg { x, .. } => {
                let x = self.ext(x)?;
                self.node(format_args!("-{x}"))?
            }
            SymbolicExpr::Mul { x, y, .. } => {
                let (x, y) = (self.ext(x)?, self.ext(y)?);
                self.node(format_args!("{x}*{y}"))?
            }
        };
        self.ext.insert(key, id);
        Ok(id)
    }
}
