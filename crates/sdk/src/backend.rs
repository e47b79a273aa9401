//! The [`ProofSystem`] trait and its backends: [`StarkBackend`] (the Plonky3 STARK),
//! [`crate::WrapBackend`] (that STARK inside a Halo2 SNARK) and [`MockBackend`] (executes only).
//!
//! The executor emits one backend-agnostic run (its [`ExecutionOutput`] and, when the backend
//! asks for it, the [`ExecutionRecord`] of events); the pipeline in [`crate::ProverClient`]
//! picks the backend and hands the run to it.

use geode_executor::{ExecutionOutput, ExecutionRecord, Program};
use geode_machine::{MachineError, RiscvMachine};
use geode_stark::StarkProof;

use crate::envelope::BackendId;
use crate::error::SdkError;

/// What a proof claims about a run: the exit code and the committed bytes (the proof binds their
/// keccak256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim<'a> {
    /// The guest's exit code.
    pub exit_code: u32,
    /// Every byte the guest committed, in order.
    pub public_values: &'a [u8],
}

/// A proof system over Geode runs: set up parameters for a program, prove a run, verify a claim.
///
/// Backends share the executor: the pipeline runs the guest (recording events only when
/// [`ProofSystem::NEEDS_RECORD`] says so) and passes the run to [`ProofSystem::prove`], so a
/// backend never executes on its own and every backend proves the same run.
pub trait ProofSystem {
    /// The id written into the proof envelope, on which verification dispatches.
    const ID: BackendId;
    /// Whether [`ProofSystem::prove`] reads the execution record. When false the pipeline runs
    /// the fast executor and passes an empty record.
    const NEEDS_RECORD: bool;
    /// What proving needs besides the run, derived from the program.
    type ProverParams;
    /// What verifying needs besides the proof, derived from the program.
    type VerifierParams;
    /// The backend's proof.
    type Proof;

    /// The parameters of `program`. They depend on the program alone.
    ///
    /// # Errors
    /// If the program cannot be set up (none of today's backends fails).
    fn setup(
        &self,
        program: &Program,
    ) -> Result<(Self::ProverParams, Self::VerifierParams), SdkError>;

    /// Proves the run `output` (with its `record` if [`ProofSystem::NEEDS_RECORD`]).
    ///
    /// # Errors
    /// [`SdkError::Proving`] if the run cannot be proven.
    fn prove(
        &self,
        params: &Self::ProverParams,
        output: &ExecutionOutput,
        record: &ExecutionRecord,
    ) -> Result<Self::Proof, SdkError>;

    /// Checks that `proof` proves a run of the parameters' program with outcome `claim`.
    ///
    /// # Errors
    /// Why the proof is rejected.
    fn verify(
        &self,
        params: &Self::VerifierParams,
        proof: &Self::Proof,
        claim: Claim<'_>,
    ) -> Result<(), SdkError>;

    /// The proof as the envelope's payload.
    ///
    /// # Errors
    /// If it does not serialize.
    fn encode(&self, proof: &Self::Proof) -> Result<Vec<u8>, SdkError>;

    /// A proof from the envelope's payload. Never panics on hostile bytes.
    ///
    /// # Errors
    /// [`SdkError::MalformedProof`] if the bytes do not decode.
    fn decode(&self, payload: &[u8]) -> Result<Self::Proof, SdkError>;
}

/// The Plonky3 STARK over all of the machine's chips (fast configuration: KoalaBear, Poseidon2,
/// FRI). Its parameters on both sides are the program's [`RiscvMachine`].
#[derive(Clone, Copy, Debug, Default)]
pub struct StarkBackend;

impl ProofSystem for StarkBackend {
    const ID: BackendId = BackendId::Stark;
    const NEEDS_RECORD: bool = true;
    type ProverParams = RiscvMachine;
    type VerifierParams = RiscvMachine;
    type Proof = StarkProof;

    fn setup(&self, program: &Program) -> Result<(RiscvMachine, RiscvMachine), SdkError> {
        let machine = RiscvMachine::new(program.clone());
        Ok((machine.clone(), machine))
    }

    fn prove(
        &self,
        machine: &RiscvMachine,
        output: &ExecutionOutput,
        record: &ExecutionRecord,
    ) -> Result<StarkProof, SdkError> {
        let traces = machine
            .generate_traces(output, record)
            .map_err(SdkError::Proving)?;
        machine
            .prove_traces_owned(traces)
            .map_err(SdkError::Proving)
    }

    fn verify(
        &self,
        machine: &RiscvMachine,
        proof: &StarkProof,
        claim: Claim<'_>,
    ) -> Result<(), SdkError> {
        machine
            .verify(proof, claim.exit_code, claim.public_values)
            .map_err(SdkError::InvalidProof)
    }

    fn encode(&self, proof: &StarkProof) -> Result<Vec<u8>, SdkError> {
        proof
            .to_bytes()
            .map_err(|e| SdkError::Proving(MachineError::Stark(e)))
    }

    fn decode(&self, payload: &[u8]) -> Result<StarkProof, SdkError> {
        StarkProof::from_bytes(payload)
            .map_err(|e| SdkError::MalformedProof(format!("STARK payload: {e}")))
    }
}

/// Executes only: its proof is empty, and carries the run's public values in the envelope for
/// fast iteration on host code. It proves nothing, so [`ProofSystem::verify`] always fails with
/// [`SdkError::MockProof`].
#[derive(Clone, Copy, Debug, Default)]
pub struct MockBackend;

impl ProofSystem for MockBackend {
    const ID: BackendId = BackendId::Mock;
    const NEEDS_RECORD: bool = false;
    type ProverParams = ();
    type VerifierParams = ();
    type Proof = ();

    fn setup(&self, _program: &Program) -> Result<((), ()), SdkError> {
        Ok(((), ()))
    }

    fn prove(
        &self,
        _params: &(),
        _output: &ExecutionOutput,
        _record: &ExecutionRecord,
    ) -> Result<(), SdkError> {
        Ok(())
    }

    fn verify(&self, _params: &(), _proof: &(), _claim: Claim<'_>) -> Result<(), SdkError> {
        Err(SdkError::MockProof)
    }

    fn encode(&self, _proof: &()) -> Result<Vec<u8>, SdkError> {
        Ok(Vec::new())
    }

    fn decode(&self, payload: &[u8]) -> Result<(), SdkError> {
        if payload.is_empty() {
            Ok(())
        } else {
            Err(SdkError::MalformedProof(format!(
                "a mock proof has an empty payload, not {} bytes",
                payload.len()
            )))
        }
    }
}
