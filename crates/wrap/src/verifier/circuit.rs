//! The circuit backend of the verifier stages: values are [`Kb`] and [`Ext`] on a [`Ctx`],
//! the transcript is the in-circuit [`Sponge`], digests are tape variables.

use geode_stark::{Challenge, Val};

use super::backend::Backend;
use super::transcript::{Ext as ExtCoeffs, TranscriptBackend};
use crate::ctx::{Ctx, Var};
use crate::field::{Ext, Kb};
use crate::hash::{SampledBits, Sponge, compress, hash_row};

/// A [`Ctx`] with the wrap transcript on it.
#[derive(Debug)]
pub struct CircuitBackend {
    /// The circuit being built.
    pub ctx: Ctx,
    sponge: Sponge,
}

impl Default for CircuitBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl CircuitBackend {
    /// An empty circuit with a fresh transcript.
    pub fn new() -> Self {
        let mut ctx = Ctx::new();
        let sponge = Sponge::new(&mut ctx);
        Self { ctx, sponge }
    }

    fn canonical_var(&mut self, v: Kb) -> Var {
        v.reduce(&mut self.ctx).var()
    }
}

impl TranscriptBackend for CircuitBackend {
    type Kb = Kb;
    type Word = Var;
    type Bits = SampledBits;

    fn constant(&mut self, v: Val) -> Kb {
        Kb::constant(&mut self.ctx, v)
    }

    fn observe(&mut self, v: Kb) {
        let v = self.canonical_var(v);
        self.sponge.observe(&mut self.ctx, v);
    }

    fn observe_word(&mut self, w: Var) {
        self.sponge.observe_word(&mut self.ctx, w);
    }

    fn sample(&mut self) -> Kb {
        // The sponge proves its samples canonical, so below 2^31.
        Kb::assume_canonical(self.sponge.sample(&mut self.ctx))
    }

    fn sample_bits(&mut self, bits: usize) -> SampledBits {
        self.sponge.sample_bits(&mut self.ctx, bits)
    }

    fn check_pow(&mut self, bits: usize, witness: Kb) {
        if bits == 0 {
            return;
        }
        let w = self.canonical_var(witness);
        self.sponge.check_pow(&mut self.ctx, bits, w);
    }
}

impl Backend for CircuitBackend {
    type E = Ext;
    type Bit = Var;

    fn bits(&mut self, b: &SampledBits) -> Vec<Var> {
        b.bits.clone()
    }

    fn kb_mul(&mut self, a: Kb, b: Kb) -> Kb {
        a.mul(&mut self.ctx, b)
    }

    fn kb_inv(&mut self, a: Kb) -> Kb {
        // A zero leaves the inverse's constraints unsatisfiable.
        a.inverse(&mut self.ctx)
            .unwrap_or_else(|| Kb::zero(&mut self.ctx))
    }

    fn kb_select(&mut self, bit: Var, a: Kb, b: Kb) -> Kb {
        Kb::select(&mut self.ctx, bit, a, b)
    }

    fn ext(&mut self, c: &ExtCoeffs<Kb>) -> Ext {
        Ext(*c)
    }

    fn ext_coeffs(&mut self, a: &Ext) -> ExtCoeffs<Kb> {
        a.weak_reduce(&mut self.ctx).0
    }

    fn ext_const(&mut self, c: Challenge) -> Ext {
        Ext::constant(&mut self.ctx, c)
    }

    fn ext_from_base(&mut self, k: Kb) -> Ext {
        Ext::from_base(&mut self.ctx, k)
    }

    fn ext_add(&mut self, a: &Ext, b: &Ext) -> Ext {
        a.add(&mut self.ctx, *b)
    }

    fn ext_sub(&mut self, a: &Ext, b: &Ext) -> Ext {
        a.sub(&mut self.ctx, *b)
    }

    fn ext_mul(&mut self, a: &Ext, b: &Ext) -> Ext {
        a.mul(&mut self.ctx, *b)
    }

    fn ext_mul_base(&mut self, a: &Ext, k: Kb) -> Ext {
        a.mul_base(&mut self.ctx, k)
    }

    fn ext_powers(&mut self, x: &Ext, n: usize) -> Vec<Ext> {
        x.powers(&mut self.ctx, n)
    }

    fn ext_dot(&mut self, a: &[Ext], b: &[Ext]) -> Ext {
        Ext::dot(&mut self.ctx, a, b)
    }

    fn ext_dot_base(&mut self, coeffs: &[Ext], values: &[Kb]) -> Ext {
        Ext::dot_base(&mut self.ctx, coeffs, values)
    }

    fn ext_inv(&mut self, a: &Ext) -> Ext {
        a.inverse_or_unsatisfiable(&mut self.ctx)
    }

    fn ext_select(&mut self, bit: Var, a: &Ext, b: &Ext) -> Ext {
        Ext::select(&mut self.ctx, bit, *a, *b)
    }

    fn ext_assert_eq(&mut self, a: &Ext, b: &Ext) {
        a.assert_eq(&mut self.ctx, *b);
    }

    fn hash_row(&mut self, values: &[Kb]) -> Var {
        // Weakly reduced is enough: the packing is injective on 31-bit values, and the integer
        // a leaf binds stands for its residue (the opened rows are loaded that way).
        let vars: Vec<Var> = values
            .iter()
            .map(|&v| v.weak_reduce(&mut self.ctx).var())
            .collect();
        hash_row(&mut self.ctx, &vars)
    }

    fn compress(&mut self, left: Var, right: Var) -> Var {
        compress(&mut self.ctx, left, right)
    }

    fn swap_words(&mut self, bit: Var, a: Var, b: Var) -> (Var, Var) {
        let left = self.ctx.select(bit, b, a);
        let right = self.ctx.select(bit, a, b);
        (left, right)
    }

    fn word_assert_eq(&mut self, a: Var, b: Var) {
        self.ctx.assert_eq(a, b);
    }
}
