//! The wrapper: from the chips and heights of a STARK to its SNARK keys, proofs and checks.

use geode_stark::config::wrap::WrapConfig;
use geode_stark::{FastParams, StarkAir, StarkProofOf, Val};
use halo2_proofs::plonk::{ProvingKey, VerifyingKey};
use halo2_proofs::poly::commitment::Params;
use pasta_curves::{Fp, vesta};

use std::fmt::Write as _;

use tiny_keccak::{Hasher as _, Keccak};

use crate::WrapError;
use crate::ctx::{CtxStats, LANES, NARROW_LANES, TapeCircuit, WrapCircuit, lanes_for};
use crate::snark::{self, SnarkProof};
use crate::verifier::digest::write_constraints;
use crate::verifier::ood::{AirConstraints, constraints};
use crate::verifier::run::{self, StageCost, Witness};
use crate::verifier::shape::Shape;
use crate::with_circuit;

/// Everything about one STARK shape (chips, heights, parameters) the wrapper needs.
#[derive(Clone, Debug)]
pub struct Wrapper {
    shape: Shape,
    constraints: Vec<AirConstraints>,
}

/// The keys of one shape's circuit.
#[derive(Debug)]
pub struct WrapKeys {
    /// The IPA parameters.
    pub params: Params<vesta::Affine>,
    /// The proving key (which holds the verifying key).
    pub pk: ProvingKey<vesta::Affine>,
    /// The lanes of the circuit the keys are for.
    pub lanes: usize,
}

/// What verifying needs: the parameters and the verifying key.
#[derive(Debug)]
pub struct WrapVerifier {
    /// The IPA parameters.
    pub params: Params<vesta::Affine>,
    /// The verifying key.
    pub vk: VerifyingKey<vesta::Affine>,
}

impl Wrapper {
    /// The wrapper of proofs of `airs` at `log_heights` under the wrap configuration with
    /// `params`.
    ///
    /// # Errors
    /// If the chips and heights do not make a batch the circuit supports.
    pub fn new<A: StarkAir<WrapConfig>>(
        params: &FastParams,
        airs: &[A],
        log_heights: &[usize],
    ) -> Result<Self, WrapError> {
        let shape = Shape::new(params, airs, log_heights)?;
        let constraints = constraints(&shape, airs)?;
        Ok(Self { shape, constraints })
    }

    /// The shape.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The circuit verifying `proof` with `public_values`, and its public inputs. The proof is
    /// checked natively first.
    ///
    /// # Errors
    /// [`WrapError::Rejected`] or [`WrapError::Shape`] for a proof the verifier rejects.
    pub fn circuit(
        &self,
        proof: &StarkProofOf<WrapConfig>,
        public_values: &[Vec<Val>],
    ) -> Result<(WrapCircuit, Vec<Fp>), WrapError> {
        let witness = run::native(&self.shape, &self.constraints, proof, public_values)?;
        let b = run::circuit(&self.shape, &self.constraints, &witness);
        if let Some(f) = b.ctx.first_failure() {
            return Err(WrapError::Rejected(format!("in the circuit: {f}")));
        }
        Ok((WrapCircuit::new(b.ctx), self.public_inputs(public_values)))
    }

    /// The circuit of the shape with a zero witness: the structure every proof's circuit has.
    pub fn structure(&self) -> WrapCircuit {
        let b = run::circuit(&self.shape, &self.constraints, &Witness::dummy(&self.shape));
        WrapCircuit::new(b.ctx)
    }

    /// The size of the circuit, and what each stage adds to it.
    pub fn stats(&self) -> (CtxStats, Vec<(&'static str, StageCost)>) {
        let (b, stages) =
            run::circuit_by_stage(&self.shape, &self.constraints, &Witness::dummy(&self.shape));
        (b.ctx.stats_for(lanes_for(&b.ctx)), stages)
    }

    /// The name the shape's verifying key is cached under: a digest of everything that decides
    /// the circuit (the sources of this crate and of the vendored `halo2_proofs`, the shape, and
    /// every chip's symbolic constraints as a DAG, [`crate::verifier::digest`]).
    pub fn key_name(&self) -> String {
        let mut digest = KeccakWriter(Keccak::v256());
        // The preprocessed commitment is a public input, not part of the structure: one key
        // serves every program of a shape.
        let mut shape = self.shape.clone();
        shape.preprocessed_commitment = shape.preprocessed_commitment.map(|_| Fp::zero());
        let _ = write!(digest, "{}\n{shape:?}\n", env!("GEODE_WRAP_SOURCE_DIGEST"));
        let _ = write_constraints(&mut digest, &self.constraints);
        let mut out = [0u8; 32];
        digest.0.finalize(&mut out);
        out[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The verifier of the shape's SNARKs: the verifying key from the cache (see
    /// [`Self::key_name`]), or derived from the circuit's structure (and cached).
    ///
    /// # Errors
    /// If halo2 cannot make the key.
    pub fn verifier(&self) -> Result<WrapVerifier, WrapError> {
        let name = self.key_name();
        // The key reads back only as a key of the circuit it was made for.
        let cached = snark::cached_verifying_key::<TapeCircuit<NARROW_LANES>>(&name)
            .or_else(|| snark::cached_verifying_key::<TapeCircuit<LANES>>(&name));
        if let Some((k, vk)) = cached {
            return Ok(WrapVerifier {
                params: snark::params(k),
                vk,
            });
        }
        let circuit = self.structure();
        let params = snark::params(circuit.min_k());
        let vk = with_circuit!(&circuit, c => snark::verifying_key(&params, c))?;
        snark::cache_verifying_key(&name, &vk);
        Ok(WrapVerifier { params, vk })
    }

    /// The shape's proving keys (derived every time: a proving key is gigabytes; the verifying
    /// key is cached on the way).
    ///
    /// # Errors
    /// If halo2 cannot make the keys.
    pub fn keys(&self) -> Result<WrapKeys, WrapError> {
        let circuit = self.structure();
        let params = snark::params(circuit.min_k());
        let vk = with_circuit!(&circuit, c => snark::verifying_key(&params, c))?;
        snark::cache_verifying_key(&self.key_name(), &vk);
        let pk = with_circuit!(&circuit, c => snark::proving_key(&params, vk, c))?;
        Ok(WrapKeys {
            params,
            pk,
            lanes: circuit.lanes(),
        })
    }

    /// Wraps `proof`.
    ///
    /// # Errors
    /// If the STARK is rejected or halo2 fails.
    pub fn prove(
        &self,
        keys: &WrapKeys,
        proof: &StarkProofOf<WrapConfig>,
        public_values: &[Vec<Val>],
    ) -> Result<SnarkProof, WrapError> {
        let (circuit, inputs) = self.circuit(proof, public_values)?;
        if (circuit.min_k(), circuit.lanes()) != (keys.params.k(), keys.lanes) {
            return Err(WrapError::Shape(format!(
                "the circuit needs k = {} and {} lanes, the keys have {} and {}",
                circuit.min_k(),
                circuit.lanes(),
                keys.params.k(),
                keys.lanes
            )));
        }
        with_circuit!(circuit, c => snark::prove(&keys.params, &keys.pk, c, &inputs))
    }

    /// Checks that `proof` proves a STARK of this shape with `public_values` valid.
    ///
    /// # Errors
    /// [`WrapError::SnarkRejected`] if it does not.
    pub fn verify(
        &self,
        verifier: &WrapVerifier,
        proof: &SnarkProof,
        public_values: &[Vec<Val>],
    ) -> Result<(), WrapError> {
        snark::verify(
            &verifier.params,
            &verifier.vk,
            proof,
            &self.public_inputs(public_values),
        )
    }

    /// The SNARK's public inputs for the claim `public_values`: the preprocessed commitment,
    /// then the values packed eight to an input ([`run::public_inputs`]).
    pub fn public_inputs(&self, public_values: &[Vec<Val>]) -> Vec<Fp> {
        run::public_inputs(&self.shape, public_values)
    }
}

/// Streams formatted text into Keccak (the shape's constraints print to megabytes).
struct KeccakWriter(Keccak);

impl std::fmt::Write for KeccakWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
