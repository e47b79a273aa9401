//! Tests of the circuit builder under `MockProver`: values, satisfied circuits, the layout's
//! size, and (in `negative`) tampered tapes; `prove` runs the real IPA prover once.

mod negative;
mod prove;

use ff::{Field, PrimeField};
use geode_stark::config::wrap::poseidon::permute;
use halo2_proofs::dev::{MockProver, VerifyFailure};
use halo2_proofs::plonk::Error;

use super::layout::cs_rows;
use super::plan::table_rows;
use super::{Ctx, Fp, LANES, PERM_ROWS, RANGE_LANES, TapeCircuit, Var};
use crate::test_rng::SplitMix64 as Rand;

/// `MockProver`'s verdict on `ctx` at its `min_k`.
fn mock(ctx: &Ctx) -> Result<(), Vec<VerifyFailure>> {
    let public = ctx.public_values();
    let circuit = TapeCircuit::new(ctx.clone());
    MockProver::run(circuit.min_k(), &circuit, vec![public])
        .expect("the circuit synthesizes")
        .verify()
}

#[track_caller]
fn assert_satisfied(ctx: &Ctx) {
    assert_eq!(ctx.first_failure(), None);
    if let Err(failures) = mock(ctx) {
        panic!("{} failures, the first: {}", failures.len(), failures[0]);
    }
}

fn fp(x: u64) -> Fp {
    Fp::from(x)
}

fn pow2(e: u32) -> Fp {
    Fp::from(2).pow_vartime([u64::from(e)])
}

#[test]
fn arithmetic_ops_compute_their_values_and_satisfy_the_circuit() {
    let mut rand = Rand(1);
    let mut ctx = Ctx::new();
    let (x, y, z) = (rand.fp(), rand.fp(), rand.fp());
    let (a, b, c) = (ctx.witness(x), ctx.witness(y), ctx.witness(z));
    let k = rand.fp();
    let checks: Vec<(Var, Fp)> = vec![
        (ctx.add(a, b), x + y),
        (ctx.sub(a, b), x - y),
        (ctx.mul(a, b), x * y),
        (ctx.mul_add(a, b, c), x * y + z),
        (ctx.add_const(a, k), x + k),
        (ctx.mul_const(a, k), x * k),
        (ctx.constant(k), k),
        (ctx.mul(a, a), x * x),
    ];
    for (v, expected) in checks {
        assert_eq!(ctx.value(v), expected);
        ctx.expose_public(v);
    }
    assert_satisfied(&ctx);
}

#[test]
fn linear_combinations_of_every_length() {
    let mut rand = Rand(2);
    for n in 0..=9usize {
        let mut ctx = Ctx::new();
        let terms: Vec<(Fp, Var)> = (0..n)
            .map(|_| (rand.fp(), ctx.witness(rand.fp())))
            .collect();
        let constant = rand.fp();
        let expected = terms
            .iter()
            .fold(constant, |acc, &(k, v)| acc + k * ctx.value(v));
        let rows = ctx.stats().gate_rows;
        let sum = ctx.linear(&terms, constant);
        assert_eq!(ctx.value(sum), expected, "{n} terms");
        // One row for up to three terms, then one for every two more.
        let expected_rows = if n <= 3 { 1 } else { 1 + (n - 3).div_ceil(2) };
        assert_eq!(ctx.stats().gate_rows - rows, expected_rows, "{n} terms");
        ctx.expose_public(sum);
        assert_satisfied(&ctx);
    }
    // A plain copy costs nothing.
    let mut ctx = Ctx::new();
    let v = ctx.witness(fp(5));
    assert_eq!(ctx.linear(&[(Fp::ONE, v)], Fp::ZERO), v);
    assert_eq!(ctx.stats().gate_rows, 0);
}

#[test]
fn constants_are_pinned_once() {
    let mut ctx = Ctx::new();
    let a = ctx.constant(fp(7));
    let b = ctx.constant(fp(7));
    let c = ctx.constant(-fp(7));
    assert_eq!(a, b);
    assert_ne!(a, c);
    let stats = ctx.stats();
    assert_eq!((stats.constants, stats.gate_rows), (2, 2));
    ctx.assert_const(a, fp(7));
    let d = ctx.sub(a, b);
    ctx.assert_zero(d);
    assert_eq!(ctx.stats().constants, 3);
    assert_satisfied(&ctx);
}

#[test]
fn assertions_and_select() {
    let mut ctx = Ctx::new();
    let (one, zero) = (ctx.witness(Fp::ONE), ctx.witness(Fp::ZERO));
    ctx.assert_bool(one);
    ctx.assert_bool(zero);
    let (x, y) = (ctx.witness(fp(10)), ctx.witness(fp(20)));
    let s1 = ctx.select(one, x, y);
    let s0 = ctx.select(zero, x, y);
    assert_eq!((ctx.value(s1), ctx.value(s0)), (fp(10), fp(20)));
    ctx.assert_eq(s1, x);
    ctx.assert_eq(s0, y);
    ctx.assert_const(s0, fp(20));
    // Free witnesses that only meet assertions still get a cell.
    let (u, w) = (ctx.witness(fp(3)), ctx.witness(fp(3)));
    ctx.assert_eq(u, w);
    ctx.expose_public(w);
    assert_satisfied(&ctx);
}

#[test]
fn bits_and_limbs_recompose() {
    let mut rand = Rand(3);
    let mut ctx = Ctx::new();
    let x = ctx.witness(fp(0b1011_0110));
    let bits = ctx.to_bits(x, 8);
    let values: Vec<u64> = bits
        .iter()
        .map(|&b| u64::from(ctx.value(b) == Fp::ONE))
        .collect();
    assert_eq!(values, [0, 1, 1, 0, 1, 1, 0, 1]);
    // A full element: 255 bits, and 64-bit limbs (the caller bounds the top one).
    let r = rand.fp();
    let big = ctx.witness(r);
    let bits = ctx.to_bits(big, 255);
    let recomposed = bits
        .iter()
        .enumerate()
        .fold(Fp::ZERO, |acc, (i, &b)| acc + pow2(i as u32) * ctx.value(b));
    assert_eq!(recomposed, r);
    let limbs = ctx.to_limbs(big, 64, 4);
    let repr = r.to_repr();
    for (j, &l) in limbs.iter().enumerate() {
        let word = u64::from_le_bytes(repr[8 * j..8 * j + 8].try_into().unwrap());
        assert_eq!(ctx.value(l), fp(word));
    }
    for (limb_bits, n) in [(1, 5), (31, 8), (12, 3), (64, 2), (7, 1)] {
        let value = rand.u64() & ((1u64 << (limb_bits * n as u32).min(63)) - 1);
        let v = ctx.witness(fp(value));
        let limbs = ctx.to_limbs(v, limb_bits, n);
        assert_eq!(limbs.len(), n);
        for (j, &l) in limbs.iter().enumerate() {
            let expected = value.checked_shr(limb_bits * j as u32).unwrap_or(0)
                & ((1u128 << limb_bits) - 1) as u64;
            assert_eq!(ctx.value(l), fp(expected), "limb {j} of {limb_bits}x{n}");
        }
    }
    assert_satisfied(&ctx);
}

#[test]
fn range_checks_of_every_shape() {
    let mut ctx = Ctx::new();
    let cases: Vec<(u32, Fp)> = vec![
        (1, fp(1)),
        (1, fp(0)),
        (3, fp(7)),
        (11, fp((1 << 11) - 1)),
        (12, fp(1 << 11)),
        (24, fp((1 << 24) - 1)),
        (31, fp((1 << 31) - 1)),
        (33, fp(0)),
        (64, fp(u64::MAX)),
        (253, pow2(253) - Fp::ONE),
        (254, pow2(254) - Fp::ONE),
        (0, Fp::ZERO),
    ];
    for (bits, value) in cases {
        let v = ctx.witness(value);
        ctx.range_check(v, bits);
    }
    // A value already on the tape, checked twice.
    let x = ctx.witness(fp(1000));
    let y = ctx.add(x, x);
    ctx.range_check(y, 11);
    ctx.range_check(y, 16);
    assert_satisfied(&ctx);
}

#[test]
fn poseidon_matches_the_native_permutation() {
    let mut rand = Rand(4);
    let mut ctx = Ctx::new();
    let mut chained = None;
    for _ in 0..6 {
        let input = [rand.fp(), rand.fp(), rand.fp()];
        let mut expected = input;
        permute(&mut expected);
        let vars = input.map(|x| ctx.witness(x));
        let out = ctx.poseidon(vars);
        assert_eq!(out.map(|v| ctx.value(v)), expected);
        // Outputs exposed compare the chip's cells with the native values; outputs fed back in
        // chain regions; outputs used by gates tie their cells to the lanes.
        ctx.expose_public(out[0]);
        let again = ctx.poseidon([out[1], out[2], out[0]]);
        let sum = ctx.add(again[0], out[1]);
        chained = Some(ctx.poseidon([sum, again[2], chained.unwrap_or(sum)])[1]);
    }
    ctx.expose_public(chained.unwrap());
    // Constants and gate results as inputs.
    let (c, d) = (ctx.constant(fp(2)), ctx.witness(fp(3)));
    let e = ctx.mul(c, d);
    let out = ctx.poseidon([c, e, c]);
    let mut expected = [fp(2), fp(6), fp(2)];
    permute(&mut expected);
    assert_eq!(ctx.value(out[2]), expected[2]);
    ctx.expose_public(out[2]);
    assert_eq!(ctx.stats().poseidon_perms, 19);
    assert_satisfied(&ctx);
}

#[test]
fn small_tapes_get_a_small_table_and_large_ones_sixteen_bits() {
    let mut ctx = Ctx::new();
    let v = ctx.witness(fp(5));
    ctx.range_check(v, 31);
    let stats = ctx.stats();
    assert!(stats.min_k <= 10, "{stats:?}");
    assert!(table_rows(stats.lookup_bits) <= stats.rows);
    // Enough gate rows for k = 18: the 16-bit table fits for free.
    let mut big = Ctx::new();
    let a = big.witness(fp(1));
    for _ in 0..LANES * 140_000 {
        big.add(a, a);
    }
    big.range_check(a, 31);
    let stats = big.stats();
    assert_eq!(
        (stats.min_k, stats.lookup_bits, stats.lookup_cells),
        (18, 16, 2)
    );
}

/// The `k` of [`Ctx::stats`] is the layout's: `MockProver` accepts the tape at `min_k` and
/// runs out of rows at `min_k − 1`, for a tape that exactly fills the usable rows and for one
/// row more, with gate rows alone and with permutations on top.
#[test]
fn min_k_is_exact() {
    let usable = (1 << 11) - cs_rows().0;
    // One row pins the constant; the additions share a coefficient group, `LANES` to a row;
    // the permutations go `LANES` to a batch of `PERM_ROWS` rows.
    let fill = |adds: usize, perms: usize| {
        let mut ctx = Ctx::new();
        let a = ctx.constant(Fp::ONE);
        for _ in 0..adds {
            ctx.add(a, a);
        }
        for _ in 0..perms {
            ctx.poseidon([a, a, a]);
        }
        ctx
    };
    let batches = 3;
    for (adds, perms) in [
        (LANES * (usable - 1), 0),
        (LANES * (usable - 1 - PERM_ROWS * batches), LANES * batches),
    ] {
        let exact = fill(adds, perms);
        let stats = exact.stats();
        assert_eq!((stats.rows, stats.min_k), (usable, 11), "{stats:?}");
        assert_satisfied(&exact);
        let over = fill(adds + 1, perms);
        assert_eq!(over.stats().min_k, 12);
        let circuit = TapeCircuit::new(over);
        assert!(matches!(
            MockProver::run(11, &circuit, vec![vec![]]),
            Err(Error::NotEnoughRowsAvailable { .. })
        ));
    }
}

#[test]
fn range_lanes_share_the_checks() {
    let mut ctx = Ctx::new();
    for i in 0..40 {
        let v = ctx.witness(fp(i));
        ctx.range_check(v, 8 + (i as u32 % 5));
    }
    let stats = ctx.stats();
    assert_eq!(stats.range_checks, 40);
    assert!(stats.rows >= stats.lookup_cells / RANGE_LANES);
    assert_satisfied(&ctx);
}

#[test]
fn the_first_failure_is_reported() {
    let mut ctx = Ctx::new();
    let (a, b) = (ctx.witness(fp(1)), ctx.witness(fp(2)));
    ctx.assert_eq(a, a);
    assert_eq!(ctx.first_failure(), None);
    ctx.range_check(b, 1);
    ctx.assert_eq(a, b);
    assert!(ctx.first_failure().unwrap().starts_with("range_check"));
    assert!(mock(&ctx).is_err());
}
