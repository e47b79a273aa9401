//! Every operation against `p3_koala_bear`'s arithmetic (natively, through `value`), the circuits
//! against `MockProver`, and cheating provers against the constraints (`negative`); the costs
//! of the operations (`costs`).

use geode_stark::{Challenge, Val};
use halo2_proofs::dev::MockProver;
use p3_field::{
    BasedVectorSpace as _, Field as _, PrimeCharacteristicRing as _, PrimeField32 as _,
};
use proptest::prelude::*;

use super::{Bound, Ext, Kb, MAX_BITS, P};
use crate::ctx::{Ctx, Fp, TapeCircuit};
use crate::test_rng::SplitMix64 as Rng;

mod costs;
mod negative;

/// Whether `MockProver` accepts the circuit the tape records.
fn satisfied(ctx: Ctx) -> bool {
    let public = ctx.public_values();
    let circuit = TapeCircuit::new(ctx);
    let prover = MockProver::run(circuit.min_k(), &circuit, vec![public]).expect("synthesis");
    prover.verify().is_ok()
}

/// The values the tests start from: the edges, then random ones.
fn edge_and_random_vals(n: usize) -> Vec<Val> {
    let mut rng = Rng(7);
    [0, 1, 2, P - 2, P - 1, 1 << 24, (1 << 24) - 1]
        .map(Val::new)
        .into_iter()
        .chain((0..n).map(|_| rng.val()))
        .collect()
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(P - 1),
        Just(P - 2),
        Just(1 << 24),
        0..P
    ]
    .prop_map(Val::new)
}

fn ext() -> impl Strategy<Value = Challenge> {
    prop::array::uniform4(val()).prop_map(|c| Challenge::from_basis_coefficients_fn(|i| c[i]))
}

/// Records every base-field operation on `(a, b, c)` and checks its value natively; returns the
/// number of checks.
fn exercise_base(ctx: &mut Ctx, a: Val, b: Val, c: Val, e: u64) -> usize {
    let mut checks = 0;
    let mut check = |got: Val, want: Val, what: &str| {
        assert_eq!(got, want, "{what} of {a} and {b}");
        checks += 1;
    };
    let (x, y, z) = (
        Kb::load_canonical(ctx, a),
        Kb::load_canonical(ctx, b),
        Kb::load_canonical(ctx, c),
    );
    assert!(x.is_canonical());
    let k = Kb::constant(ctx, c);
    check(x.value(ctx), a, "load");
    check(k.value(ctx), c, "constant");
    check(x.add(ctx, y).value(ctx), a + b, "add");
    check(x.sub(ctx, y).value(ctx), a - b, "sub");
    check(x.neg(ctx).value(ctx), -a, "neg");
    let xy = x.mul(ctx, y);
    check(xy.value(ctx), a * b, "mul");
    check(x.mul_add(ctx, y, z).value(ctx), a * b + c, "mul_add");
    check(x.square(ctx).value(ctx), a.square(), "square");
    check(x.mul_const(ctx, c).value(ctx), a * c, "mul_const");
    check(x.add_const(ctx, c).value(ctx), a + c, "add_const");
    let lin = Kb::linear(ctx, &[(b, x), (-c, y), (Val::NEG_ONE, z)], a);
    check(lin.value(ctx), b * a - c * b - c + a, "linear");
    check(
        Kb::dot(ctx, &[x, y, z, xy], &[y, z, x, xy]).value(ctx),
        a * b + b * c + c * a + (a * b).square(),
        "dot",
    );
    // Unreduced operands: a difference and a product feed a product and a sum.
    let d = x.sub(ctx, y);
    check(
        d.mul(ctx, xy).value(ctx),
        (a - b) * a * b,
        "mul of unreduced",
    );
    let r = xy.reduce(ctx);
    assert!(r.is_canonical() && !xy.is_weakly_reduced());
    check(r.value(ctx), a * b, "reduce");
    let weak = xy.weak_reduce(ctx);
    assert!(weak.is_weakly_reduced() && !weak.is_canonical());
    check(weak.value(ctx), a * b, "weak_reduce");
    weak.assert_eq(ctx, r);
    assert_eq!(
        ctx.value(r.var()),
        Fp::from(u64::from((a * b).as_canonical_u32()))
    );
    check(d.reduce(ctx).canonical(ctx).value(ctx), a - b, "canonical");
    // Congruent but different integers.
    d.add(ctx, y).assert_eq(ctx, x);
    xy.assert_eq(ctx, r);
    x.assert_eq(ctx, x);
    xy.neg(ctx).add(ctx, xy).assert_const(ctx, Val::ZERO);
    xy.assert_const(ctx, a * b);
    // (The inverse of zero is unsatisfiable: `the_inverse_of_zero_is_unsatisfiable`.)
    if a != Val::ZERO {
        let inv = x.inverse(ctx).expect("nonzero");
        assert!(inv.is_weakly_reduced());
        check(inv.value(ctx), a.inverse(), "inverse");
    }
    if a * b != Val::ZERO {
        let inv = xy.inverse(ctx).expect("nonzero");
        check(
            inv.value(ctx),
            (a * b).inverse(),
            "inverse of an unreduced product",
        );
    }
    check(x.pow_const(ctx, e).value(ctx), a.exp_u64(e), "pow_const");
    check(
        d.exp_power_of_two(ctx, 3).value(ctx),
        (a - b).exp_power_of_2(3),
        "exp_power_of_two",
    );
    let bits = xy.to_bits(ctx);
    assert_eq!(bits.len(), 31);
    let canonical = (a * b).as_canonical_u32();
    for (i, &bit) in bits.iter().enumerate() {
        assert_eq!(
            ctx.value(bit),
            Fp::from(u64::from(canonical >> i & 1)),
            "bit {i}"
        );
    }
    let low = bits[0];
    let selected = Kb::select(ctx, low, x, d);
    check(
        selected.value(ctx),
        if canonical & 1 == 1 { a } else { a - b },
        "select",
    );
    checks
}

/// As [`exercise_base`], for the extension.
fn exercise_ext(ctx: &mut Ctx, a: Challenge, b: Challenge, c: Challenge, s: Val) -> usize {
    let mut checks = 0;
    let mut check = |got: Challenge, want: Challenge, what: &str| {
        assert_eq!(got, want, "{what} of {a} and {b}");
        checks += 1;
    };
    let (x, y, z) = (
        Ext::load_canonical(ctx, a),
        Ext::load_canonical(ctx, b),
        Ext::load_canonical(ctx, c),
    );
    let base = Kb::load_canonical(ctx, s);
    let sc = Challenge::from(s);
    check(x.value(ctx), a, "load");
    check(Ext::constant(ctx, c).value(ctx), c, "constant");
    let embedded = Ext::from_base(ctx, base);
    check(embedded.value(ctx), sc, "from_base");
    check(
        embedded.mul(ctx, x).value(ctx),
        sc * a,
        "mul by an embedded base element",
    );
    let zero = Ext::zero(ctx);
    check(x.mul(ctx, zero).value(ctx), Challenge::ZERO, "mul by zero");
    check(x.add(ctx, y).value(ctx), a + b, "add");
    check(x.sub(ctx, y).value(ctx), a - b, "sub");
    check(x.neg(ctx).value(ctx), -a, "neg");
    let xy = x.mul(ctx, y);
    check(xy.value(ctx), a * b, "mul");
    check(x.mul_add(ctx, y, z).value(ctx), a * b + c, "mul_add");
    check(x.square(ctx).value(ctx), a.square(), "square");
    check(
        xy.square(ctx).value(ctx),
        (a * b).square(),
        "square of unreduced",
    );
    check(x.add_base(ctx, base).value(ctx), a + sc, "add_base");
    check(x.sub_base(ctx, base).value(ctx), a - sc, "sub_base");
    check(x.mul_base(ctx, base).value(ctx), a * sc, "mul_base");
    check(
        xy.mul_base_const(ctx, s).value(ctx),
        a * b * sc,
        "mul_base_const",
    );
    check(x.mul_const(ctx, c).value(ctx), a * c, "mul_const");
    check(
        xy.mul_const(ctx, c).value(ctx),
        a * b * c,
        "mul_const of unreduced",
    );
    let d = x.sub(ctx, y);
    check(
        d.mul(ctx, xy).value(ctx),
        (a - b) * a * b,
        "mul of unreduced",
    );
    check(
        Ext::dot(ctx, &[x, y, z, xy], &[y, z, x, xy]).value(ctx),
        a * b + b * c + c * a + (a * b).square(),
        "dot",
    );
    // Base values, one weakly reduced and unreduced coefficients among them.
    let weak = Kb::load_weak(ctx, s);
    let base_product = base.mul(ctx, base);
    check(
        Ext::dot_base(ctx, &[x, xy, d], &[base, weak, base_product]).value(ctx),
        a * sc + a * b * sc + (a - b) * sc * sc,
        "dot_base",
    );
    check(
        Ext::horner(ctx, &[x, y, z], d).value(ctx),
        a + b * (a - b) + c * (a - b).square(),
        "horner",
    );
    let r = xy.reduce(ctx);
    assert!(r.is_canonical());
    check(r.value(ctx), a * b, "reduce");
    check(xy.weak_reduce(ctx).value(ctx), a * b, "weak_reduce");
    check(d.reduce(ctx).canonical(ctx).value(ctx), a - b, "canonical");
    d.add(ctx, y).assert_eq(ctx, x);
    xy.assert_eq(ctx, r);
    xy.assert_const(ctx, a * b);
    if a * b != Challenge::ZERO {
        let inv = xy.inverse(ctx).expect("nonzero");
        assert!(inv.is_weakly_reduced());
        check(inv.value(ctx), (a * b).inverse(), "inverse");
    }
    let e = s.as_canonical_u32().into();
    check(x.pow_const(ctx, e).value(ctx), a.exp_u64(e), "pow_const");
    check(
        xy.exp_power_of_two(ctx, 4).value(ctx),
        (a * b).exp_power_of_2(4),
        "exp_power_of_two",
    );
    let powers = d.powers(ctx, 5);
    for (i, p) in powers.iter().enumerate() {
        assert!(p.is_weakly_reduced());
        check(p.value(ctx), (a - b).exp_u64(i as u64), "powers");
    }
    let bit = base.to_bits(ctx)[0];
    let selected = Ext::select(ctx, bit, x, d);
    let want = if s.as_canonical_u32() & 1 == 1 {
        a
    } else {
        a - b
    };
    check(selected.value(ctx), want, "select");
    checks
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn base_operations_agree_with_koala_bear(a in val(), b in val(), c in val(), e in any::<u64>()) {
        exercise_base(&mut Ctx::new(), a, b, c, e);
    }

    #[test]
    fn extension_operations_agree_with_p3(a in ext(), b in ext(), c in ext(), s in val()) {
        exercise_ext(&mut Ctx::new(), a, b, c, s);
    }
}

#[test]
fn base_operations_satisfy_the_circuit() {
    let vals = edge_and_random_vals(6);
    let mut ctx = Ctx::new();
    let mut checks = 0;
    for (i, &a) in vals.iter().enumerate() {
        let b = vals[(i + 3) % vals.len()];
        let c = vals[(i + 5) % vals.len()];
        checks += exercise_base(
            &mut ctx,
            a,
            b,
            c,
            u64::from(c.as_canonical_u32()) << 20 | 13,
        );
    }
    assert!(checks > 200);
    assert!(satisfied(ctx));
}

#[test]
fn extension_operations_satisfy_the_circuit() {
    let mut rng = Rng(11);
    let mut ctx = Ctx::new();
    let edges = [Challenge::ZERO, Challenge::ONE, -Challenge::ONE];
    for i in 0..6 {
        let a = edges.get(i).copied().unwrap_or_else(|| rng.ext());
        let (b, c, s) = (rng.ext(), rng.ext(), rng.val());
        exercise_ext(&mut ctx, a, b, c, s);
    }
    assert!(satisfied(ctx));
}

#[test]
fn long_chains_without_explicit_reductions_stay_correct() {
    let vals = edge_and_random_vals(40);
    let mut ctx = Ctx::new();
    // Products of products of … canonical values: automatic reductions at 2^250.
    let mut acc = Kb::load_canonical(&mut ctx, vals[8]);
    let mut want = vals[8];
    for &v in &vals[9..] {
        let x = Kb::load_canonical(&mut ctx, v);
        acc = acc.mul(&mut ctx, x);
        want *= v;
        assert!(acc.bound_bits() <= MAX_BITS);
    }
    assert_eq!(acc.value(&ctx), want);
    // Repeated squaring, and products of two unreduced values.
    let mut sq = Kb::load_canonical(&mut ctx, vals[10]).sub(&mut ctx, acc);
    let mut sq_want = vals[10] - want;
    for _ in 0..12 {
        let prev = sq;
        sq = sq.square(&mut ctx).mul(&mut ctx, prev);
        sq_want = sq_want.square() * sq_want;
    }
    assert_eq!(sq.value(&ctx), sq_want);
    // A long sum of unreduced products and an extension chain.
    let xs: Vec<Kb> = vals
        .iter()
        .map(|&v| Kb::load_canonical(&mut ctx, v))
        .collect();
    let prods: Vec<Kb> = xs.windows(2).map(|w| w[0].mul(&mut ctx, w[1])).collect();
    let dot = Kb::dot(&mut ctx, &prods, &prods);
    let dot_want: Val = vals.windows(2).map(|w| (w[0] * w[1]).square()).sum();
    assert_eq!(dot.value(&ctx), dot_want);
    let mut rng = Rng(3);
    let start = rng.ext();
    let (mut e, mut e_want) = (Ext::load_canonical(&mut ctx, start), start);
    for _ in 0..20 {
        let v = rng.ext();
        let y = Ext::load_canonical(&mut ctx, v);
        e = e.mul(&mut ctx, y).add(&mut ctx, y);
        e_want = e_want * v + v;
    }
    assert_eq!(e.value(&ctx), e_want);
    assert!(satisfied(ctx));
}

/// Key generation reads only the tape's shape, so the shape must not depend on the witness:
/// the same code on other values (zero included, whose inverse fails) records the same tape.
#[test]
fn the_shape_does_not_depend_on_the_values() {
    let build = |seed: u64| {
        let mut rng = Rng(seed);
        let mut ctx = Ctx::new();
        let vals: Vec<Val> = (0..3).map(|_| rng.val()).chain([Val::ZERO]).collect();
        let xs: Vec<Kb> = vals
            .iter()
            .map(|&v| Kb::load_canonical(&mut ctx, v))
            .collect();
        let es: Vec<Ext> = (0..3)
            .map(|_| Ext::load_canonical(&mut ctx, rng.ext()))
            .collect();
        let p = xs[0].mul(&mut ctx, xs[1]).sub(&mut ctx, xs[2]);
        let _ = p.inverse(&mut ctx);
        let _ = xs[seed as usize % 4].inverse(&mut ctx);
        let _ = p.to_bits(&mut ctx);
        let _ = p.pow_const(&mut ctx, 1_000_003);
        let _ = Kb::dot(&mut ctx, &xs, &xs).reduce(&mut ctx);
        let m = es[0].mul(&mut ctx, es[1]);
        let _ = m.inverse(&mut ctx);
        let _ = Ext::horner(&mut ctx, &es, m).reduce(&mut ctx);
        let _ = m.exp_power_of_two(&mut ctx, 5).canonical(&mut ctx);
        m.assert_eq(&mut ctx, es[2]);
        ctx.stats()
    };
    assert_eq!(build(1), build(2));
    assert_eq!(build(1), build(3));
}

#[test]
fn bounds_are_exact_where_it_matters() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(5));
    let y = Kb::load_canonical(&mut ctx, Val::new(7));
    // (p − 1)^2 < 2^62; x − y = x + p − y < 2^32; a constant's bound is itself.
    assert_eq!(x.mul(&mut ctx, y).bound_bits(), 62);
    assert_eq!(x.sub(&mut ctx, y).bound_bits(), 32);
    assert_eq!(Kb::constant(&mut ctx, Val::new(3)).bound_bits(), 2);
    assert!(Kb::constant(&mut ctx, Val::NEG_ONE).is_canonical());
    // −1·y is p − y, not (p − 1)·y.
    assert_eq!(
        Kb::linear(&mut ctx, &[(Val::NEG_ONE, y)], Val::ZERO).bound_bits(),
        31
    );
    assert!(Kb::linear(&mut ctx, &[(Val::NEG_ONE, y)], Val::ZERO).value(&ctx) == -Val::new(7));
    // A canonical product of extension elements: each coefficient below 10·(p − 1)^2 < 2^66.
    let a = Ext::load_canonical(&mut ctx, Challenge::ONE);
    assert!(a.mul(&mut ctx, a).0.iter().all(|c| c.bound_bits() <= 66));
    assert_eq!(Bound::ones(250).bits(), 250);
    assert_eq!(Bound::ones(64).low_u64(), u64::MAX);
}
