//! Tampered tapes: each must be rejected by `MockProver`, by the constraint meant to catch it.

use ff::Field;
use halo2_proofs::dev::{MockProver, VerifyFailure};

use super::{Ctx, Fp, Rand, TapeCircuit, fp, mock, pow2};
use crate::ctx::plan::check_rows;

/// What rejected a tape.
#[derive(Debug, Default, PartialEq, Eq)]
struct Rejected {
    gate: bool,
    lookup: bool,
    copy: bool,
}

#[track_caller]
fn rejected(ctx: &Ctx) -> Rejected {
    let failures = mock(ctx).expect_err("the tampered tape is rejected");
    let mut r = Rejected::default();
    for f in failures {
        match f {
            VerifyFailure::ConstraintNotSatisfied { .. } => r.gate = true,
            VerifyFailure::Lookup { .. } => r.lookup = true,
            VerifyFailure::Permutation { .. } => r.copy = true,
            other => panic!("unexpected failure {other}"),
        }
    }
    r
}

const GATE: Rejected = Rejected {
    gate: true,
    lookup: false,
    copy: false,
};
const LOOKUP: Rejected = Rejected {
    gate: false,
    lookup: true,
    copy: false,
};
const COPY: Rejected = Rejected {
    gate: false,
    lookup: false,
    copy: true,
};

#[test]
fn a_wrong_product_is_rejected() {
    let mut ctx = Ctx::new();
    let (a, b) = (ctx.witness(fp(6)), ctx.witness(fp(7)));
    let m = ctx.mul(a, b);
    ctx.expose_public(m);
    assert!(mock(&ctx).is_ok());
    ctx.tamper(m, fp(43));
    // The mul row fails; the instance holds the tampered value, so the copy to it holds.
    assert_eq!(rejected(&ctx), GATE);
}

#[test]
fn a_wrong_linear_combination_or_select_is_rejected() {
    let mut ctx = Ctx::new();
    let terms: Vec<(Fp, _)> = (1..=6).map(|i| (fp(i), ctx.witness(fp(i * i)))).collect();
    let sum = ctx.linear(&terms, fp(9));
    let bit = ctx.witness(Fp::ONE);
    ctx.assert_bool(bit);
    let s = ctx.select(bit, terms[0].1, terms[1].1);
    assert!(mock(&ctx).is_ok());
    for v in [sum, s] {
        let mut bad = ctx.clone();
        bad.tamper(v, ctx.value(v) + Fp::ONE);
        assert_eq!(rejected(&bad), GATE);
    }
}

#[test]
fn a_broken_assert_eq_is_rejected() {
    let mut ctx = Ctx::new();
    let (a, b) = (ctx.witness(fp(5)), ctx.witness(fp(5)));
    ctx.assert_eq(a, b);
    assert!(mock(&ctx).is_ok());
    ctx.tamper(b, fp(6));
    assert_eq!(rejected(&ctx), COPY);
    // Unequal from the start: recorded all the same, and reported.
    let mut ctx = Ctx::new();
    let (a, b) = (ctx.witness(fp(5)), ctx.witness(fp(6)));
    let c = ctx.add(a, b);
    ctx.assert_eq(c, a);
    assert!(ctx.first_failure().is_some());
    assert_eq!(rejected(&ctx), COPY);
}

#[test]
fn a_wrong_constant_is_rejected() {
    let mut ctx = Ctx::new();
    let c = ctx.constant(fp(5));
    let x = ctx.witness(fp(2));
    ctx.add(c, x);
    let y = ctx.witness(fp(5));
    ctx.assert_const(y, fp(5));
    assert!(mock(&ctx).is_ok());
    // The pinning row and the add row fail (and `y`, still 5, no longer equals it).
    let mut bad = ctx.clone();
    bad.tamper(c, fp(6));
    assert_eq!(
        rejected(&bad),
        Rejected {
            gate: true,
            lookup: false,
            copy: true
        }
    );
    // A value asserted to the constant: the copy to the pinned cell fails.
    let mut bad = ctx.clone();
    bad.tamper(y, fp(6));
    assert_eq!(rejected(&bad), COPY);
}

#[test]
fn a_non_boolean_bit_is_rejected() {
    let mut ctx = Ctx::new();
    let a = ctx.witness(fp(3));
    let bits = ctx.to_bits(a, 4);
    assert!(mock(&ctx).is_ok());
    // 3 = 3·1 + 0·2: the recomposition still holds, only the boolean check catches it.
    ctx.tamper(bits[0], fp(3));
    ctx.tamper(bits[1], fp(0));
    assert_eq!(rejected(&ctx), GATE);
}

#[test]
fn an_out_of_range_limb_is_rejected() {
    let mut ctx = Ctx::new();
    let a = ctx.witness(fp(0x1234_5678_9abc));
    let limbs = ctx.to_limbs(a, 16, 3);
    assert!(mock(&ctx).is_ok());
    // (l0 + 2^16) + 2^16·(l1 − 1): the same sum, with a 17-bit limb.
    let (l0, l1) = (ctx.value(limbs[0]), ctx.value(limbs[1]));
    ctx.tamper(limbs[0], l0 + pow2(16));
    ctx.tamper(limbs[1], l1 - Fp::ONE);
    assert_eq!(rejected(&ctx), LOOKUP);
}

/// A range check of `2^bits` at `bits`: rejected with the honest running sum (its top limb is
/// too large) and with every running sum that satisfies the lookups of rows 1 onwards.
#[test]
fn two_to_the_bits_fails_its_range_check_for_every_running_sum() {
    let bits = 8;
    let mut ctx = Ctx::new();
    let a = ctx.witness(pow2(bits));
    ctx.range_check(a, bits);
    assert!(ctx.first_failure().is_some());
    assert_eq!(rejected(&ctx), LOOKUP);
    let width = ctx.stats().lookup_bits;
    let rows = check_rows(bits, width);
    assert!(rows >= 2, "width {width}");
    // Rows 1 onwards hold a running sum of at most `bits − width` bits, so `z_1` ranges over
    // `[0, 2^(bits − width))` and the rest is its decomposition: every assignment that passes
    // them. Row 0 then needs `2^bits − 2^width·z_1 < 2^width`, which no `z_1` gives.
    for z1 in 0..1u64 << (bits - width) {
        let mut z = vec![pow2(bits)];
        z.extend((1..rows).map(|i| fp(z1 >> (width as usize * (i - 1)))));
        let mut bad = ctx.clone();
        bad.tamper_range(0, z);
        assert_eq!(rejected(&bad), LOOKUP, "z_1 = {z1}");
    }
}

/// `2^31` at 31 bits, with dishonest running sums of the usual kinds.
#[test]
fn two_to_the_31_fails_a_31_bit_check_whatever_the_limbs() {
    let mut ctx = Ctx::new();
    let a = ctx.witness(pow2(31));
    ctx.range_check(a, 31);
    let width = ctx.stats().lookup_bits as usize;
    let rows = check_rows(31, width as u32);
    let honest_of = |top: Fp, x: u64| -> Vec<Fp> {
        let mut z = vec![top];
        z.extend((1..rows).map(|i| fp(x >> (width * i))));
        z
    };
    let shift_inv = pow2(width as u32).invert().unwrap();
    let candidates = [
        // The closest value below, under `a`.
        honest_of(pow2(31), (1 << 31) - 1),
        // A borrow into the first limb: limb 0 = 2^width.
        honest_of(pow2(31), ((1 << 31) >> width << width) - (1 << width)),
        // A first limb that is no multiple of 2^width: z_1 wraps around the field.
        {
            let mut z = honest_of(pow2(31), 0);
            z[1] = (pow2(31) - Fp::ONE) * shift_inv;
            z
        },
        // Everything zero but z_0.
        honest_of(pow2(31), 0),
    ];
    for (i, z) in candidates.into_iter().enumerate() {
        let mut bad = ctx.clone();
        bad.tamper_range(0, z);
        assert_eq!(rejected(&bad), LOOKUP, "candidate {i}");
    }
}

#[test]
fn a_wrong_poseidon_output_is_rejected() {
    let mut rand = Rand(9);
    let mut ctx = Ctx::new();
    let input = [rand.fp(), rand.fp(), rand.fp()].map(|x| ctx.witness(x));
    let out = ctx.poseidon(input);
    ctx.expose_public(out[1]);
    let again = ctx.poseidon([out[0], out[2], out[2]]);
    ctx.expose_public(again[0]);
    assert!(mock(&ctx).is_ok());
    // The lanes run both permutations' rounds in their rows; the output row holds the output
    // values, so a changed output, or the outputs of a changed input, fail the last round.
    let round_gate_rejects = |bad: &Ctx| {
        assert_eq!(rejected(bad), GATE);
        let failures = mock(bad).unwrap_err();
        assert!(
            failures
                .iter()
                .all(|f| f.to_string().contains("poseidon full round")),
            "{}",
            failures[0]
        );
    };
    for v in [out[1], again[0]] {
        let mut bad = ctx.clone();
        bad.tamper(v, ctx.value(v) + Fp::ONE);
        round_gate_rejects(&bad);
    }
    let mut bad = ctx.clone();
    bad.tamper(input[0], rand.fp());
    round_gate_rejects(&bad);
}

#[test]
fn a_wrong_public_value_is_rejected() {
    let mut ctx = Ctx::new();
    let a = ctx.witness(fp(4));
    let b = ctx.mul(a, a);
    ctx.expose_public(a);
    ctx.expose_public(b);
    let circuit = TapeCircuit::new(ctx.clone());
    let k = circuit.min_k();
    let run = |public: Vec<Fp>| MockProver::run(k, &circuit, vec![public]).unwrap().verify();
    assert!(run(vec![fp(4), fp(16)]).is_ok());
    assert!(run(vec![fp(4), fp(17)]).is_err());
    assert!(run(vec![fp(16), fp(4)]).is_err());
}
