//! The circuit costs of the field operations.

use geode_stark::{Challenge, Val};
use p3_field::BasedVectorSpace as _;

use super::super::{Ext, Kb};
use crate::ctx::{Ctx, Fp, LANES, LOOKUP_BITS};

/// The costs of the main operations at the production lookup width ([`LOOKUP_BITS`]-bit limbs,
/// which a tall tape gets: the test pads it): `cargo test -p geode-wrap --lib
/// field::tests::costs -- --nocapture`.
#[test]
fn costs() {
    let mut padded = Ctx::new();
    let one = padded.constant(Fp::one());
    (0..LANES << 17).fold(one, |acc, _| padded.add(acc, one));
    assert_eq!(padded.stats().lookup_bits, LOOKUP_BITS);
    let cells = |bits: u32| bits.div_ceil(LOOKUP_BITS) as usize;
    // (gate rows, lookup cells) of `op`, after `setup`.
    let measure = |what: &str, setup: &dyn Fn(&mut Ctx) -> Ext, op: &dyn Fn(&mut Ctx, Ext)| {
        let mut ctx = padded.clone();
        let x = setup(&mut ctx);
        let before = ctx.stats();
        op(&mut ctx, x);
        let after = ctx.stats();
        assert_eq!(after.lookup_bits, LOOKUP_BITS);
        let cost = (
            after.gate_rows - before.gate_rows,
            after.lookup_cells - before.lookup_cells,
        );
        println!(
            "{what:<45} {:>4} gate rows {:>4} lookup cells {:>3} range checks",
            cost.0,
            cost.1,
            after.range_checks - before.range_checks
        );
        cost
    };
    let a = Val::new(1_234_567);
    let c = Challenge::from_basis_coefficients_fn(|i| Val::new(1_000_003 * (i as u32 + 1)));
    // Base-field operations run on the first coefficient.
    let kb = |ctx: &mut Ctx| {
        let x = Kb::load_canonical(ctx, a);
        Ext::from_base(ctx, x)
    };
    let product = |ctx: &mut Ctx| {
        let x = Kb::load_canonical(ctx, a);
        let xx = x.mul(ctx, x);
        Ext::from_base(ctx, xx)
    };
    let ext = |ctx: &mut Ctx| Ext::load_canonical(ctx, c);
    let none = |ctx: &mut Ctx| Ext::zero(ctx);

    measure("base load_canonical", &none, &|ctx, _| {
        Kb::load_canonical(ctx, a);
    });
    assert_eq!(
        measure("base mul", &kb, &|ctx, x| {
            x.0[0].mul(ctx, x.0[0]);
        }),
        (1, 0)
    );
    let reduce = measure("base reduce of a product (62 bits)", &product, &|ctx, x| {
        x.0[0].reduce(ctx);
    });
    assert_eq!(reduce, (5, cells(31) + cells(24) + cells(7)));
    measure(
        "base weak_reduce of a product (62 bits)",
        &product,
        &|ctx, x| {
            x.0[0].weak_reduce(ctx);
        },
    );
    measure("base mul + reduce", &kb, &|ctx, x| {
        x.0[0].mul(ctx, x.0[0]).reduce(ctx);
    });
    let canonical = measure("canonical check (Kb::canonical)", &kb, &|ctx, x| {
        Kb::assume_bounded(x.0[0].var(), 31).canonical(ctx);
    });
    assert_eq!(canonical, (4, cells(24) + cells(7)));
    measure(
        "assert_eq of a product and a canonical value",
        &product,
        &|ctx, x| {
            let r = x.0[0].reduce(ctx);
            let before = ctx.stats();
            x.0[0].assert_eq(ctx, r);
            let after = ctx.stats();
            println!(
                "  (the assert_eq alone: {} gate rows, {} lookup cells)",
                after.gate_rows - before.gate_rows,
                after.lookup_cells - before.lookup_cells
            );
        },
    );
    measure("base inverse", &kb, &|ctx, x| {
        x.0[0].inverse(ctx);
    });
    let mul = measure("ext mul (canonical inputs, unreduced)", &ext, &|ctx, x| {
        x.mul(ctx, x);
    });
    assert_eq!(mul, (19, 0));
    measure("ext mul + weak_reduce", &ext, &|ctx, x| {
        x.mul(ctx, x).weak_reduce(ctx);
    });
    measure("ext mul + reduce", &ext, &|ctx, x| {
        x.mul(ctx, x).reduce(ctx);
    });
    measure("ext square", &ext, &|ctx, x| {
        x.square(ctx);
    });
    measure("ext mul_base", &ext, &|ctx, x| {
        x.mul_base(ctx, x.0[1]);
    });
    measure("ext inverse", &ext, &|ctx, x| {
        x.inverse(ctx);
    });
    measure("ext dot of 8 pairs + weak_reduce", &ext, &|ctx, x| {
        Ext::dot(ctx, &[x; 8], &[x; 8]).weak_reduce(ctx);
    });
    measure("ext mul chain of 5, then weak_reduce", &ext, &|ctx, x| {
        (0..5).fold(x, |acc, _| acc.mul(ctx, x)).weak_reduce(ctx);
    });
    measure(
        "ext mul chain of 5, weak_reduce after each",
        &ext,
        &|ctx, x| {
            (0..5).fold(x, |acc, _| acc.mul(ctx, x).weak_reduce(ctx));
        },
    );
}
