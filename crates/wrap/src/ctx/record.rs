//! The tape's bookkeeping: new values, interned gate coefficients, gate rows, cells for free
//! witnesses, and the accumulating linear combination.

use ff::{Field, PrimeField};

use super::{Ctx, EMPTY, Fp, NO_GATE, Row, Var};

impl Ctx {
    /// A new value; `placed` when a permutation region will give it a cell.
    pub(super) fn new_var(&mut self, value: Fp, placed: bool) -> Var {
        let index = u32::try_from(self.values.len()).expect("fewer than 2^32 values");
        assert!(index != EMPTY, "fewer than 2^32 - 1 values");
        self.values.push(value);
        self.placed.push(placed);
        Var(index)
    }

    /// The index of the coefficients `q`, shared by every row that uses them.
    pub(super) fn intern(&mut self, q: [Fp; 6]) -> u32 {
        let key = q.map(|c| c.to_repr());
        *self.coeff_index.entry(key).or_insert_with(|| {
            self.coeffs.push(q);
            u32::try_from(self.coeffs.len() - 1).expect("fewer than 2^32 gates")
        })
    }

    pub(super) fn push_row(&mut self, cells: [u32; 4], gate: u32) {
        for &c in &cells {
            if c != EMPTY {
                let placed = &mut self.placed[c as usize];
                if *placed {
                    self.copies += 1;
                }
                *placed = true;
            }
        }
        self.rows.push(Row { cells, gate });
    }

    /// Gives `v` a cell in a witness-only row unless it has one (or will, from a permutation).
    pub(super) fn ensure_placed(&mut self, v: Var) {
        if self.placed[v.index()] {
            self.copies += 1;
            return;
        }
        self.placed[v.index()] = true;
        if let Some(row) = self.open_row {
            let cells = &mut self.rows[row].cells;
            let slot = cells.iter().position(|&c| c == EMPTY).expect("open row");
            cells[slot] = v.0;
            if slot == 3 {
                self.open_row = None;
            }
        } else {
            self.open_row = Some(self.rows.len());
            self.rows.push(Row {
                cells: [v.0, EMPTY, EMPTY, EMPTY],
                gate: NO_GATE,
            });
        }
    }

    /// `Σ k_i·v_i + constant`, into `target` when given (which is then constrained to it).
    pub(super) fn linear_into(
        &mut self,
        terms: &[(Fp, Var)],
        constant: Fp,
        target: Option<Var>,
    ) -> Var {
        let terms: Vec<(Fp, Var)> = terms
            .iter()
            .copied()
            .filter(|(k, _)| *k != Fp::ZERO)
            .collect();
        let sum = terms
            .iter()
            .fold(constant, |acc, &(k, v)| acc + k * self.value(v));
        if let Some(t) = target
            && self.value(t) != sum
        {
            self.fail(|| format!("linear combination into {t:?}"));
        }
        match (terms.as_slice(), target) {
            ([], Some(t)) => {
                self.assert_const(t, constant);
                return t;
            }
            ([], None) => return self.constant(constant),
            ([(k, v)], None) if *k == Fp::ONE && constant == Fp::ZERO => return *v,
            _ => {}
        }
        let (first, rest) = terms.split_at(terms.len().min(3));
        let out = |ctx: &mut Self, last: bool, value: Fp| match (last, target) {
            (true, Some(t)) => t,
            _ => ctx.new_var(value, false),
        };
        let mut acc_value = first
            .iter()
            .fold(constant, |acc, &(k, v)| acc + k * self.value(v));
        let mut acc = out(self, rest.is_empty(), acc_value);
        let mut q = [Fp::ZERO, Fp::ZERO, Fp::ZERO, -Fp::ONE, Fp::ZERO, constant];
        let mut cells = [EMPTY, EMPTY, EMPTY, acc.0];
        for (i, &(k, v)) in first.iter().enumerate() {
            q[i] = k;
            cells[i] = v.0;
        }
        let gate = self.intern(q);
        self.push_row(cells, gate);
        for (i, pair) in rest.chunks(2).enumerate() {
            let last = (i + 1) * 2 >= rest.len();
            let mut q = [Fp::ZERO, Fp::ZERO, Fp::ONE, -Fp::ONE, Fp::ZERO, Fp::ZERO];
            let mut cells = [EMPTY, EMPTY, acc.0, EMPTY];
            for (j, &(k, v)) in pair.iter().enumerate() {
                q[j] = k;
                cells[j] = v.0;
                acc_value += k * self.value(v);
            }
            let next = out(self, last, acc_value);
            cells[3] = next.0;
            let gate = self.intern(q);
            self.push_row(cells, gate);
            acc = next;
        }
        acc
    }

    pub(super) fn fail(&mut self, what: impl FnOnce() -> String) {
        if self.failure.is_none() {
            self.failure = Some(what());
        }
    }
}
