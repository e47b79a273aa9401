//! The ops built from lookups, decompositions and the Poseidon chip.

use ff::{Field, PrimeField};
use geode_stark::config::wrap::poseidon::permute;

use super::{Ctx, Fp, MAX_RANGE_BITS, Perm, RangeCheck, Var};

impl Ctx {
    /// Constrains `0 ≤ a < 2^bits` (`bits ≤ 254`): a running sum over lookups of the limbs.
    ///
    /// # Panics
    /// If `bits > 254`.
    pub fn range_check(&mut self, a: Var, bits: u32) {
        assert!(
            bits <= MAX_RANGE_BITS,
            "range_check of {bits} > {MAX_RANGE_BITS} bits"
        );
        if bits == 0 {
            self.assert_zero(a);
            return;
        }
        if !fits(self.value(a), bits as usize) {
            self.fail(|| format!("range_check({a:?}, {bits})"));
        }
        // The check's first cell becomes `a`'s cell if it has none yet.
        if self.placed[a.index()] {
            self.copies += 1;
        }
        self.ranges.push(RangeCheck { var: a, bits });
    }

    /// The little-endian limbs of `limb_bits` bits (each range-checked) that recompose to `a`.
    /// The recomposition is an equation in `Fp`: the integer one while `limb_bits · num_limbs ≤
    /// 254`; beyond that the caller bounds the limbs (the witnessed limbs are those of `a`'s
    /// canonical integer).
    ///
    /// # Panics
    /// If `limb_bits` is 0 or above 254.
    pub fn to_limbs(&mut self, a: Var, limb_bits: u32, num_limbs: usize) -> Vec<Var> {
        assert!(
            (1..=MAX_RANGE_BITS).contains(&limb_bits),
            "limbs of 1 to {MAX_RANGE_BITS} bits"
        );
        if num_limbs == 1 {
            self.range_check(a, limb_bits);
            return vec![a];
        }
        let w = limb_bits as usize;
        let x = self.value(a);
        if !fits(x, w * num_limbs) {
            self.fail(|| format!("to_limbs({a:?}, {limb_bits}, {num_limbs})"));
        }
        let limbs: Vec<Var> = (0..num_limbs)
            .map(|i| {
                // The top limb takes all the high bits, so that the recomposition holds
                // (and its range check fails) for a value that does not fit.
                let len = if i + 1 == num_limbs { 256 } else { w };
                self.witness(bits_of(x, w * i, len))
            })
            .collect();
        let terms: Vec<(Fp, Var)> = limbs
            .iter()
            .enumerate()
            .map(|(i, &l)| (pow2(w * i), l))
            .collect();
        self.linear_into(&terms, Fp::ZERO, Some(a));
        for &l in &limbs {
            self.range_check(l, limb_bits);
        }
        limbs
    }

    /// The `n` little-endian bits of `a`, each constrained boolean, recomposing to `a` (in `Fp`:
    /// unique while `n ≤ 254`; for `n ≥ 255` the caller compares with the modulus).
    pub fn to_bits(&mut self, a: Var, n: usize) -> Vec<Var> {
        let x = self.value(a);
        if !fits(x, n) {
            self.fail(|| format!("to_bits({a:?}, {n})"));
        }
        let bits: Vec<Var> = (0..n).map(|i| self.witness(bits_of(x, i, 1))).collect();
        for &b in &bits {
            self.assert_bool(b);
        }
        let terms: Vec<(Fp, Var)> = bits
            .iter()
            .enumerate()
            .map(|(i, &b)| (pow2(i), b))
            .collect();
        self.linear_into(&terms, Fp::ZERO, Some(a));
        bits
    }

    /// The `P128Pow5T3` permutation of `state`, proven by the lockstep Poseidon chip (the
    /// arithmetization of `halo2_gadgets`' `Pow5Chip`; the values are
    /// `geode_stark::config::wrap::poseidon::permute`'s).
    pub fn poseidon(&mut self, state: [Var; 3]) -> [Var; 3] {
        for v in state {
            self.ensure_placed(v);
        }
        let mut s = state.map(|v| self.value(v));
        permute(&mut s);
        let out = s.map(|x| self.new_var(x, true));
        self.perms.push(Perm {
            input: state,
            output: out[0].0,
        });
        out
    }
}

/// `2^e` in `Fp`.
pub(super) fn pow2(e: usize) -> Fp {
    Fp::from(2).pow_vartime([e as u64])
}

/// The canonical integer of `x` as little-endian 64-bit words.
fn words(x: Fp) -> [u64; 4] {
    let repr = x.to_repr();
    std::array::from_fn(|i| u64::from_le_bytes(repr[8 * i..8 * i + 8].try_into().expect("8")))
}

/// Whether `x`'s canonical integer is below `2^bits`.
pub(super) fn fits(x: Fp, bits: usize) -> bool {
    let w = words(x);
    (0..4).all(|i| {
        let lo = 64 * i;
        if bits >= lo + 64 {
            true
        } else if bits <= lo {
            w[i] == 0
        } else {
            w[i] >> (bits - lo) == 0
        }
    })
}

/// Bits `lo .. lo + len` of `x`'s canonical integer, as an element.
pub(super) fn bits_of(x: Fp, lo: usize, len: usize) -> Fp {
    let w = words(x);
    let (skip, shift) = (lo / 64, lo % 64);
    let word = |j: usize| if j < 4 { w[j] } else { 0 };
    let mut repr = [0u8; 32];
    for i in 0..4 {
        let mut out = word(i + skip) >> shift;
        if shift > 0 {
            out |= word(i + skip + 1) << (64 - shift);
        }
        let start = 64 * i;
        if len <= start {
            out = 0;
        } else if len < start + 64 {
            out &= (1 << (len - start)) - 1;
        }
        repr[8 * i..8 * i + 8].copy_from_slice(&out.to_le_bytes());
    }
    Fp::from_repr(repr).expect("a slice of a canonical integer is canonical")
}
