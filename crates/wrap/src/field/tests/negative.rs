//! Cheating provers: tampered witnesses, non-canonical remainders and false assertions are
//! rejected.

use geode_stark::{Challenge, Val};
use p3_field::{BasedVectorSpace as _, PrimeCharacteristicRing as _};

use super::super::{Bound, Ext, Kb, P64};
use super::{Rng, satisfied};
use crate::ctx::{Ctx, Fp};

#[test]
fn tampered_remainder_is_rejected() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(123_456_789));
    let y = Kb::load_canonical(&mut ctx, Val::new(987_654_321));
    let r = x.mul(&mut ctx, y).reduce(&mut ctx);
    // r + p is congruent, but not canonical.
    let bumped = ctx.value(r.var()) + Fp::from(P64);
    ctx.tamper(r.var(), bumped);
    assert!(!satisfied(ctx));
}

/// A prover that claims `x = (q − 1)·p + (r + p)`, consistently, with `r + p < 2^31`: only the
/// canonical check on the remainder can catch it.
#[test]
fn a_non_canonical_remainder_is_rejected() {
    for cheat in [false, true] {
        let mut ctx = Ctx::new();
        // (p − 1)^2 ≡ 1: the remainder 1, and 1 + p < 2^31.
        let x = Kb::load_canonical(&mut ctx, Val::NEG_ONE);
        let xx = x.mul(&mut ctx, x);
        let (q, r) = Bound::from_fp(ctx.value(xx.var())).div_rem(P64);
        assert_eq!(r, 1);
        let (q, r) = if cheat {
            (q.checked_sub(Bound::from_u64(1)).unwrap(), r + P64)
        } else {
            (q, r)
        };
        let (_, rem) = xx.reduce_with(&mut ctx, q, r, true);
        assert_eq!(rem.value(&ctx), Val::ONE);
        assert_eq!(ctx.first_failure().is_none(), !cheat);
        assert_eq!(satisfied(ctx), !cheat, "cheat: {cheat}");
    }
}

/// A weak reduction claims only a remainder below `2^31`: `r + p` is one (when it fits), and
/// `r + 2·p` never is.
#[test]
fn a_weak_remainder_is_below_2_to_the_31() {
    for (extra, ok) in [(0, true), (1, true), (2, false)] {
        let mut ctx = Ctx::new();
        let x = Kb::load_canonical(&mut ctx, Val::NEG_ONE);
        let xx = x.mul(&mut ctx, x);
        let (q, r) = Bound::from_fp(ctx.value(xx.var())).div_rem(P64);
        let q = q.checked_sub(Bound::from_u64(extra)).unwrap();
        let (_, rem) = xx.reduce_with(&mut ctx, q, r + extra * P64, false);
        assert_eq!(rem.value(&ctx), Val::ONE);
        assert_eq!(satisfied(ctx), ok, "r + {extra}·p");
    }
}

#[test]
fn tampered_quotient_is_rejected() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(2_000_000_000));
    let xx = x.mul(&mut ctx, x);
    let (q, r) = Bound::from_fp(ctx.value(xx.var())).div_rem(P64);
    let (q_var, _) = xx.reduce_with(&mut ctx, q, r, true);
    let bumped = ctx.value(q_var) + Fp::one();
    ctx.tamper(q_var, bumped);
    assert!(!satisfied(ctx));
}

#[test]
fn tampered_inverse_is_rejected() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(42));
    let inv = x.inverse(&mut ctx).unwrap();
    let bumped = ctx.value(inv.var()) + Fp::one();
    ctx.tamper(inv.var(), bumped);
    assert!(!satisfied(ctx));

    let mut ctx = Ctx::new();
    let x = Ext::load_canonical(
        &mut ctx,
        Challenge::from_basis_coefficients_fn(|i| Val::new(i as u32 + 2)),
    );
    let inv = x.inverse(&mut ctx).unwrap();
    let bumped = ctx.value(inv.0[2].var()) + Fp::one();
    ctx.tamper(inv.0[2].var(), bumped);
    assert!(!satisfied(ctx));
}

#[test]
fn the_inverse_of_zero_is_unsatisfiable() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::ZERO);
    assert!(x.inverse(&mut ctx).is_none());
    assert!(!satisfied(ctx));

    let mut ctx = Ctx::new();
    let x = Ext::load_canonical(&mut ctx, Challenge::ZERO);
    assert!(x.inverse(&mut ctx).is_none());
    assert!(!satisfied(ctx));
}

#[test]
fn tampered_extension_product_is_rejected() {
    for k in 0..4 {
        let mut ctx = Ctx::new();
        let mut rng = Rng(k);
        let x = Ext::load_canonical(&mut ctx, rng.ext());
        let y = Ext::load_canonical(&mut ctx, rng.ext());
        let c = x.mul(&mut ctx, y).0[k as usize];
        let bumped = ctx.value(c.var()) + Fp::from(P64);
        ctx.tamper(c.var(), bumped);
        assert!(!satisfied(ctx), "coefficient {k}");
    }
    // A product that passes to a reduction: the reduced coefficient is tampered instead.
    for k in 0..4 {
        let mut ctx = Ctx::new();
        let mut rng = Rng(k + 10);
        let x = Ext::load_canonical(&mut ctx, rng.ext());
        let y = Ext::load_canonical(&mut ctx, rng.ext());
        let c = x.mul(&mut ctx, y).reduce(&mut ctx).0[k as usize];
        let bumped = ctx.value(c.var()) + Fp::one();
        ctx.tamper(c.var(), bumped);
        assert!(!satisfied(ctx), "reduced coefficient {k}");
    }
}

#[test]
fn canonical_rejects_every_integer_from_p() {
    for (v, bits, ok) in [
        (P64 - 1, 31, true),
        (0, 31, true),
        (P64, 31, false),
        (P64 + 1, 31, false),
        ((1 << 31) - 1, 31, false),
        (1 << 31, 32, false),
        (P64 + (1 << 24), 32, false),
    ] {
        let mut ctx = Ctx::new();
        let var = ctx.witness(Fp::from(v));
        let x = Kb::assume_bounded(var, bits).canonical(&mut ctx);
        assert!(x.is_canonical());
        assert_eq!(satisfied(ctx), ok, "{v}");
    }
}

#[test]
fn unequal_values_fail_their_assertions() {
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(3));
    let y = Kb::load_canonical(&mut ctx, Val::new(4));
    x.mul(&mut ctx, y).assert_const(&mut ctx, Val::new(13));
    assert!(!satisfied(ctx));

    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(3));
    let y = Kb::load_canonical(&mut ctx, Val::new(4));
    let z = Kb::load_canonical(&mut ctx, Val::new(11));
    x.mul(&mut ctx, y).assert_eq(&mut ctx, z);
    assert!(!satisfied(ctx));

    // Off by exactly p, as integers, but canonical on both sides: one copy constraint.
    let mut ctx = Ctx::new();
    let x = Kb::load_canonical(&mut ctx, Val::new(3));
    let y = Kb::load_canonical(&mut ctx, Val::new(3));
    let bumped = ctx.value(y.var()) + Fp::from(P64);
    x.assert_eq(&mut ctx, y);
    ctx.tamper(y.var(), bumped);
    assert!(!satisfied(ctx));
}
