//! The circuit transcript and Merkle checks against `geode_stark::config::wrap` and
//! `p3-merkle-tree`, positive and negative, under halo2's `MockProver`: the transcript
//! (`transcript`), the Merkle trees (`merkle`) and the costs (`costs`).

use geode_stark::Val;
use halo2_proofs::dev::MockProver;
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use proptest::prelude::Rng as _;
use proptest::test_runner::{RngAlgorithm, TestRng};

use super::sponge;
use crate::ctx::{Ctx, Fp, TapeCircuit, Var};

mod costs;
mod merkle;
mod transcript;

/// Whether `MockProver` accepts the circuit of `ctx`. Where it does, recording found nothing
/// wrong either.
fn satisfied(ctx: Ctx) -> bool {
    let recorded_ok = ctx.first_failure().is_none();
    let public = ctx.public_values();
    let circuit = TapeCircuit::new(ctx);
    let k = circuit.min_k();
    let ok = MockProver::run(k, &circuit, vec![public])
        .expect("the circuit synthesizes")
        .verify()
        .is_ok();
    assert!(
        !ok || recorded_ok,
        "MockProver accepts what recording rejected"
    );
    ok
}

fn fp_of(v: Val) -> Fp {
    Fp::from(u64::from(v.as_canonical_u32()))
}

fn rng(seed: u8) -> TestRng {
    let mut bytes = [0; 32];
    bytes[0] = seed;
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn random_val(rng: &mut TestRng) -> Val {
    Val::from_u32(rng.next_u32() % Val::ORDER_U32)
}

/// A KoalaBear value as a circuit input (canonical, as the caller guarantees).
fn koala(ctx: &mut Ctx, v: Val) -> Var {
    let var = ctx.witness(fp_of(v));
    sponge::assert_canonical(ctx, var);
    var
}
