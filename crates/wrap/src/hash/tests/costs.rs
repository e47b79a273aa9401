//! The circuit cost of each transcript and Merkle operation.

use ff::Field;

use crate::ctx::{Ctx, Fp, Var};
use crate::hash::{Sponge, hash_row, verify_batch};

/// What `n` repetitions of an operation add to a tape, per repetition.
#[derive(Debug)]
struct Cost {
    perms: f64,
    gate_rows: f64,
    lookup_cells: f64,
}

/// Measures `op` repeated `n` times after `setup`, on a tape padded with enough gate rows
/// that it is laid out with the widest lookup (16-bit limbs), as a full verifier is.
fn measure(
    n: usize,
    setup: impl Fn(&mut Ctx, &mut Sponge),
    op: impl Fn(&mut Ctx, &mut Sponge),
) -> Cost {
    let mut ctx = Ctx::new();
    let x = ctx.witness(Fp::ZERO);
    for _ in 0..crate::ctx::LANES << (crate::ctx::LOOKUP_BITS + 1) {
        ctx.add_const(x, Fp::ONE);
    }
    let mut sponge = Sponge::new(&mut ctx);
    setup(&mut ctx, &mut sponge);
    let before = ctx.stats();
    for _ in 0..n {
        op(&mut ctx, &mut sponge);
    }
    let after = ctx.stats();
    assert_eq!(after.lookup_bits, crate::ctx::LOOKUP_BITS);
    let per = |a: usize, b: usize| (a - b) as f64 / n as f64;
    Cost {
        perms: per(after.poseidon_perms, before.poseidon_perms),
        gate_rows: per(after.gate_rows, before.gate_rows),
        lookup_cells: per(after.lookup_cells, before.lookup_cells),
    }
}

/// The circuit cost of each operation, per operation (`--nocapture` prints them; the
/// permutation counts are asserted). A permutation is also `PERM_ROWS` (37) rows of a lane.
#[test]
fn costs() {
    fn none(_: &mut Ctx, _: &mut Sponge) {}
    let report = |label: &str, cost: Cost, perms: f64| {
        println!(
            "{label:<44} perms {:>6.3}  gate rows {:>6.2}  16-bit lookups {:>6.2}",
            cost.perms, cost.gate_rows, cost.lookup_cells
        );
        assert!((cost.perms - perms).abs() < 1e-9, "{label}: {cost:?}");
    };
    let n = 96;
    let observe = |ctx: &mut Ctx, s: &mut Sponge| {
        let v = ctx.witness(Fp::from(7));
        s.observe(ctx, v);
    };
    report(
        "observe (a value; 16 per step)",
        measure(16 * n, none, observe),
        1.0 / 16.0,
    );
    let word = |ctx: &mut Ctx, s: &mut Sponge| {
        let w = ctx.witness(Fp::from(9));
        s.observe_word(ctx, w);
    };
    report("observe_word", measure(n, none, word), 1.0);
    let sample = |ctx: &mut Ctx, s: &mut Sponge| {
        s.sample(ctx);
    };
    report(
        "sample (in a run; 6 per step)",
        measure(6 * n, none, sample),
        1.0 / 6.0,
    );
    let observe_sample = |ctx: &mut Ctx, s: &mut Sponge| {
        observe(ctx, s);
        s.sample(ctx);
    };
    report(
        "observe, then sample",
        measure(n, none, observe_sample),
        1.0,
    );
    let sample_ext = |ctx: &mut Ctx, s: &mut Sponge| {
        s.sample_ext(ctx);
    };
    report(
        "sample_ext (in a run; 3 per 2 steps)",
        measure(3 * n, none, sample_ext),
        2.0 / 3.0,
    );
    for bits in [1, 20] {
        let sample_bits = move |ctx: &mut Ctx, s: &mut Sponge| {
            s.sample_bits(ctx, bits);
        };
        let label = format!("sample_bits({bits}) (in a run; 6 per step)");
        report(&label, measure(6 * n, none, sample_bits), 1.0 / 6.0);
    }
    let pow = |ctx: &mut Ctx, s: &mut Sponge| {
        let w = ctx.witness(Fp::ZERO);
        s.check_pow(ctx, 16, w);
    };
    report("check_pow(16)", measure(n, none, pow), 1.0);
    for width in [8, 16, 100] {
        let row = move |ctx: &mut Ctx, _: &mut Sponge| {
            let row: Vec<Var> = (0..width).map(|i| ctx.witness(Fp::from(i))).collect();
            hash_row(ctx, &row);
        };
        let label = format!("hash_row of {width} values");
        report(&label, measure(n, none, row), width.div_ceil(16) as f64);
    }
    let levels: usize = 20;
    let path = |ctx: &mut Ctx, _: &mut Sponge| {
        let root = ctx.witness(Fp::ZERO);
        let row = [ctx.witness(Fp::ONE)];
        let bits: Vec<Var> = (0..levels).map(|_| ctx.witness(Fp::ZERO)).collect();
        let siblings: Vec<Var> = (0..levels as u64)
            .map(|i| ctx.witness(Fp::from(i)))
            .collect();
        verify_batch(ctx, root, &bits, &[row.to_vec()], &[levels], &siblings);
    };
    let leaf = |ctx: &mut Ctx, _: &mut Sponge| {
        let row = [ctx.witness(Fp::ONE)];
        hash_row(ctx, &row);
    };
    let (path, leaf) = (measure(n, none, path), measure(n, none, leaf));
    let level = Cost {
        perms: (path.perms - leaf.perms) / levels as f64,
        gate_rows: (path.gate_rows - leaf.gate_rows) / levels as f64,
        lookup_cells: (path.lookup_cells - leaf.lookup_cells) / levels as f64,
    };
    report("Merkle level (no injection)", level, 1.0);
}
