//! [`WrapBackend`]: the run's STARK, proven under the wrap configuration, inside a Halo2 SNARK
//! (`geode-wrap`). Its proof is a few kilobytes and verifies without the STARK.

use geode_executor::{ExecutionOutput, ExecutionRecord, Program};
use geode_machine::RiscvMachine;
use geode_stark::StarkProofOf;
use geode_stark::config::wrap;
use geode_stark::config::wrap::WrapConfig;
use geode_wrap::{SnarkProof, Wrapper};
use serde::{Deserialize, Serialize};

use crate::backend::{Claim, ProofSystem};
use crate::envelope::BackendId;
use crate::error::SdkError;

/// Most chips a wrapped proof may name (the machine has fewer).
const MAX_CHIPS: usize = 64;

/// A wrapped proof: the SNARK and the shape of the STARK it verifies (which chips, at which
/// heights), from which the verifier derives the SNARK's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedProof {
    /// The chips of the wrapped STARK, in its order.
    pub chips: Vec<String>,
    /// Their log heights.
    pub log_heights: Vec<usize>,
    /// The SNARK.
    pub snark: SnarkProof,
}

/// The Halo2 wrapper over the STARK. Proving is slow (the STARK again under Poseidon over
/// Pallas, then the SNARK); verifying needs only the program.
#[derive(Clone, Copy, Debug, Default)]
pub struct WrapBackend;

impl WrapBackend {
    /// Proves `output` under the wrap configuration and returns that STARK with the statement
    /// it is checked against (the chips and their public values).
    ///
    /// # Errors
    /// [`SdkError::Proving`].
    pub fn prove_stark(
        machine: &RiscvMachine,
        output: &ExecutionOutput,
        record: &ExecutionRecord,
    ) -> Result<StarkProofOf<WrapConfig>, SdkError> {
        let traces = machine
            .generate_traces(output, record)
            .map_err(SdkError::Proving)?;
        machine
            .prove_traces_with(&wrap::config(&wrap::PARAMS), &traces)
            .map_err(SdkError::Proving)
    }

    /// The wrapper of `stark`'s shape and the public values of the claim.
    ///
    /// # Errors
    /// If the chips are not an allowed set or the shape is not supported.
    pub fn wrapper(
        machine: &RiscvMachine,
        chips: &[String],
        log_heights: &[usize],
        claim: Claim<'_>,
    ) -> Result<(Wrapper, Vec<Vec<geode_stark::Val>>), SdkError> {
        let (airs, public_values) = machine
            .statement(chips, claim.exit_code, claim.public_values)
            .map_err(SdkError::InvalidProof)?;
        let wrapper =
            Wrapper::new(&wrap::PARAMS, &airs, log_heights).map_err(SdkError::Wrapping)?;
        Ok((wrapper, public_values))
    }

    /// Wraps a wrap-configuration STARK of a run with outcome `claim`.
    ///
    /// # Errors
    /// [`SdkError::Proving`] if the STARK is rejected or halo2 fails.
    pub fn wrap(
        machine: &RiscvMachine,
        stark: &StarkProofOf<WrapConfig>,
        claim: Claim<'_>,
    ) -> Result<WrappedProof, SdkError> {
        let (wrapper, public_values) =
            Self::wrapper(machine, &stark.chips, stark.log_heights(), claim)?;
        let keys = wrapper.keys().map_err(SdkError::Wrapping)?;
        let snark = wrapper
            .prove(&keys, stark, &public_values)
            .map_err(SdkError::Wrapping)?;
        Ok(WrappedProof {
            chips: stark.chips.clone(),
            log_heights: stark.log_heights().to_vec(),
            snark,
        })
    }
}

impl ProofSystem for WrapBackend {
    const ID: BackendId = BackendId::Halo2;
    const NEEDS_RECORD: bool = true;
    type ProverParams = RiscvMachine;
    type VerifierParams = RiscvMachine;
    type Proof = WrappedProof;

    /// The same parameters as the STARK's: the program's machine.
    fn setup(&self, program: &Program) -> Result<(RiscvMachine, RiscvMachine), SdkError> {
        crate::StarkBackend.setup(program)
    }

    fn prove(
        &self,
        machine: &RiscvMachine,
        output: &ExecutionOutput,
        record: &ExecutionRecord,
    ) -> Result<WrappedProof, SdkError> {
        let stark = Self::prove_stark(machine, output, record)?;
        let claim = Claim {
            exit_code: output.exit_code,
            public_values: &output.public_output,
        };
        Self::wrap(machine, &stark, claim)
    }

    fn verify(
        &self,
        machine: &RiscvMachine,
        proof: &WrappedProof,
        claim: Claim<'_>,
    ) -> Result<(), SdkError> {
        let (wrapper, public_values) =
            Self::wrapper(machine, &proof.chips, &proof.log_heights, claim)?;
        let verifier = wrapper.verifier().map_err(SdkError::InvalidSnark)?;
        wrapper
            .verify(&verifier, &proof.snark, &public_values)
            .map_err(SdkError::InvalidSnark)
    }

    fn encode(&self, proof: &WrappedProof) -> Result<Vec<u8>, SdkError> {
        postcard::to_allocvec(proof)
            .map_err(|e| SdkError::MalformedProof(format!("wrapped payload: {e}")))
    }

    fn decode(&self, payload: &[u8]) -> Result<WrappedProof, SdkError> {
        let bad = |m: String| SdkError::MalformedProof(format!("wrapped payload: {m}"));
        let (proof, rest): (WrappedProof, _) =
            postcard::take_from_bytes(payload).map_err(|e| bad(e.to_string()))?;
        if !rest.is_empty() {
            return Err(bad(format!("{} trailing bytes", rest.len())));
        }
        if proof.chips.len() > MAX_CHIPS || proof.chips.len() != proof.log_heights.len() {
            return Err(bad(format!(
                "{} chips and {} heights",
                proof.chips.len(),
                proof.log_heights.len()
            )));
        }
        if proof
            .log_heights
            .iter()
            .any(|&h| h == 0 || h > wrap::MAX_LOG_HEIGHT)
        {
            return Err(bad("a height out of range".into()));
        }
        // The SNARK's own decoder checks its version, size and field elements.
        let snark =
            SnarkProof::from_bytes(&proof.snark.to_bytes().map_err(|e| bad(e.to_string()))?)
                .map_err(|e| bad(e.to_string()))?;
        if postcard::to_allocvec(&proof).map_err(|e| bad(e.to_string()))? != payload {
            return Err(bad("non-canonical encoding".into()));
        }
        Ok(WrappedProof { snark, ..proof })
    }
}
