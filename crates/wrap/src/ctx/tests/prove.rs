//! The real prover: keygen, an IPA proof over the Pasta curves and its verification, on a tiny
//! tape with every kind of region; and a changed public value that fails verification.

use halo2_proofs::plonk::{SingleVerifier, create_proof, keygen_pk, keygen_vk, verify_proof};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bRead, Blake2bWrite, Challenge255};
use pasta_curves::vesta;
use rand_core::SeedableRng;
use rand_xorshift::XorShiftRng;

use super::{Ctx, Fp, TapeCircuit, fp};

#[test]
fn a_real_proof_verifies_and_a_changed_public_value_does_not() {
    let mut ctx = Ctx::new();
    let (a, b) = (ctx.witness(fp(3)), ctx.witness(fp(5)));
    let p = ctx.mul_add(a, b, a);
    ctx.range_check(p, 20);
    let bits = ctx.to_bits(b, 3);
    let s = ctx.select(bits[0], a, b);
    let c = ctx.constant(fp(7));
    let out = ctx.poseidon([p, s, c]);
    ctx.expose_public(p);
    ctx.expose_public(out[0]);
    let public = ctx.public_values();

    // Keys from a tape of the same shape with other values.
    let mut shape = Ctx::new();
    let (a, b) = (shape.witness(fp(1)), shape.witness(fp(2)));
    let p = shape.mul_add(a, b, a);
    shape.range_check(p, 20);
    let bits = shape.to_bits(b, 3);
    let s = shape.select(bits[0], a, b);
    let c = shape.constant(fp(7));
    let out = shape.poseidon([p, s, c]);
    shape.expose_public(p);
    shape.expose_public(out[0]);

    let circuit = TapeCircuit::new(ctx);
    let keygen_circuit = TapeCircuit::new(shape);
    let k = circuit.min_k();
    assert_eq!(keygen_circuit.min_k(), k);
    let params: Params<vesta::Affine> = Params::new(k);
    let vk = keygen_vk(&params, &keygen_circuit).expect("keygen_vk");
    let pk = keygen_pk(&params, vk, &keygen_circuit).expect("keygen_pk");

    let mut transcript = Blake2bWrite::<_, vesta::Affine, Challenge255<_>>::init(vec![]);
    create_proof(
        &params,
        &pk,
        &[circuit],
        &[&[&public]],
        XorShiftRng::seed_from_u64(7),
        &mut transcript,
    )
    .expect("create_proof");
    let proof = transcript.finalize();

    let verify = |public: &[Fp]| {
        let mut transcript = Blake2bRead::<_, vesta::Affine, Challenge255<_>>::init(&proof[..]);
        verify_proof(
            &params,
            pk.get_vk(),
            SingleVerifier::new(&params),
            &[&[public]],
            &mut transcript,
        )
    };
    assert!(verify(&public).is_ok());
    let mut changed = public.clone();
    changed[1] += fp(1);
    assert!(verify(&changed).is_err());
}
