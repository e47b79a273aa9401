//! [`ProverClient`]: execute, set up, prove and verify; the pipeline that picks the backend.

use geode_executor::{
    ExecError, ExecOptions, ExecutionOutput, ExecutionRecord, Stdin, execute, execute_recorded,
};
use geode_machine::MAX_PROVABLE_CYCLES;

use crate::backend::{Claim, MockBackend, ProofSystem, StarkBackend};
use crate::envelope::{BackendId, ENVELOPE_VERSION, GeodeProof};
use crate::error::SdkError;
use crate::keys::{ProgramSource, ProvingKey, VerifyingKey};
use crate::public_values::{ExecutionReport, PublicValues};
use crate::wrap::WrapBackend;

/// The entry point of the SDK: runs guest programs, proves their runs and verifies proofs.
///
/// ```no_run
/// use geode_sdk::{ProverClient, Stdin};
/// # fn main() -> Result<(), geode_sdk::SdkError> {
/// # let elf: &[u8] = &[];
/// let client = ProverClient::builder().max_cycles(10_000_000).build();
/// let mut stdin = Stdin::new();
/// stdin.write(&20u32)?;
/// let (pk, vk) = client.setup(elf)?;
/// let mut proof = client.prove(&pk, &stdin).run()?;
/// client.verify(&proof, &vk)?;
/// let n: u32 = proof.public_values.read()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct ProverClient {
    opts: ExecOptions,
}

/// Options of a [`ProverClient`]; start with [`ProverClient::builder`].
#[derive(Clone, Debug, Default)]
pub struct ProverClientBuilder {
    opts: ExecOptions,
}

impl ProverClientBuilder {
    /// Stop any run after this many instructions ([`SdkError::Execution`] with a cycle limit).
    /// Default: [`geode_executor::DEFAULT_MAX_CYCLES`]. Proving stops earlier in any case: one
    /// proof covers at most [`geode_machine::MAX_PROVABLE_CYCLES`].
    pub fn max_cycles(mut self, cycles: u64) -> Self {
        self.opts.max_cycles = cycles;
        self
    }

    /// Stop any run that writes (prints and commits) more bytes than this. Default:
    /// [`geode_executor::DEFAULT_MAX_OUTPUT_BYTES`].
    pub fn max_output_bytes(mut self, bytes: usize) -> Self {
        self.opts.max_output_bytes = bytes;
        self
    }

    /// The client.
    pub fn build(self) -> ProverClient {
        ProverClient { opts: self.opts }
    }
}

impl ProverClient {
    /// A client with default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Options for a client.
    pub fn builder() -> ProverClientBuilder {
        ProverClientBuilder::default()
    }

    /// Runs `program` (ELF bytes, a [`Program`](crate::Program) or a [`ProvingKey`]) on `stdin`
    /// without proving: the fast executor, for checking a guest and reading its output.
    ///
    /// # Errors
    /// [`SdkError::Elf`] for bad ELF bytes, [`SdkError::Execution`] for a guest fault or limit.
    pub fn execute(
        &self,
        program: &(impl ProgramSource + ?Sized),
        stdin: &Stdin,
    ) -> Result<(PublicValues, ExecutionReport), SdkError> {
        let program = program.load_program()?;
        let out = execute(&program, stdin, &self.opts)?;
        Ok(split_output(out))
    }

    /// The proving and verifying keys of `program` (usually ELF bytes). Both depend on the
    /// program alone: the program table, the initial memory image and the chip set.
    ///
    /// # Errors
    /// [`SdkError::Elf`] if ELF bytes do not load.
    pub fn setup(
        &self,
        program: &(impl ProgramSource + ?Sized),
    ) -> Result<(ProvingKey, VerifyingKey), SdkError> {
        let (_, machine) = StarkBackend.setup(&*program.load_program()?)?;
        let vk = VerifyingKey::from_machine(machine);
        Ok((ProvingKey::new(vk.clone()), vk))
    }

    /// A request to prove a run of `pk`'s program on `stdin`; choose the proof kind on it (the
    /// STARK by default) and [`ProveRequest::run`] it.
    pub fn prove<'a>(&'a self, pk: &'a ProvingKey, stdin: &'a Stdin) -> ProveRequest<'a> {
        ProveRequest {
            client: self,
            pk,
            stdin,
            kind: ProofKind::Stark,
        }
    }

    /// Checks that `proof` proves a run of `vk`'s program that exited with `proof.exit_code`
    /// after committing exactly `proof.public_values`. After this, read the values from the
    /// proof.
    ///
    /// # Errors
    /// [`SdkError::MockProof`] for every mock proof; [`SdkError::UnsupportedVersion`] for an
    /// envelope of another version; [`SdkError::VkMismatch`] for a proof of another program;
    /// [`SdkError::MalformedProof`] or [`SdkError::InvalidProof`] for a proof that does not
    /// decode or verify.
    pub fn verify(&self, proof: &GeodeProof, vk: &VerifyingKey) -> Result<(), SdkError> {
        if proof.version != ENVELOPE_VERSION {
            return Err(SdkError::UnsupportedVersion {
                found: proof.version,
                supported: ENVELOPE_VERSION,
            });
        }
        match proof.backend {
            // Whatever else the envelope holds: a mock proof proves nothing.
            BackendId::Mock => Err(SdkError::MockProof),
            BackendId::Stark => verify_with(&StarkBackend, vk.machine(), proof, vk),
            BackendId::Halo2 => verify_with(&WrapBackend, vk.machine(), proof, vk),
        }
    }

    /// Runs `pk`'s program for backend `B` and proves the run.
    fn prove_with<B: ProofSystem>(
        &self,
        backend: &B,
        params: &B::ProverParams,
        pk: &ProvingKey,
        stdin: &Stdin,
    ) -> Result<GeodeProof, SdkError> {
        // Every backend runs within what one proof covers, the mock included, so a mock proof
        // never stands for a run the real prover would refuse.
        let opts = ExecOptions {
            max_cycles: self.opts.max_cycles.min(MAX_PROVABLE_CYCLES),
            ..self.opts.clone()
        };
        let run = if B::NEEDS_RECORD {
            execute_recorded(pk.program(), stdin, &opts)
        } else {
            execute(pk.program(), stdin, &opts).map(|out| (out, ExecutionRecord::default()))
        };
        let (output, record) = run.map_err(|e| match e {
            ExecError::CycleLimit { .. } if opts.max_cycles == MAX_PROVABLE_CYCLES => {
                SdkError::TooLongToProve {
                    max: MAX_PROVABLE_CYCLES,
                }
            }
            other => SdkError::Execution(other),
        })?;
        if !output.digest_matches() {
            return Err(SdkError::OutputDigestMismatch);
        }
        let proof = backend.prove(params, &output, &record)?;
        drop(record);
        Ok(GeodeProof {
            version: ENVELOPE_VERSION,
            backend: B::ID,
            exit_code: output.exit_code,
            public_values: PublicValues::from_bytes(output.public_output),
            vk_digest: pk.verifying_key().digest(),
            payload: backend.encode(&proof)?,
        })
    }
}

/// Decodes `proof`'s payload for backend `B` and verifies it against `vk`.
fn verify_with<B: ProofSystem>(
    backend: &B,
    params: &B::VerifierParams,
    proof: &GeodeProof,
    vk: &VerifyingKey,
) -> Result<(), SdkError> {
    // A cheap, clear answer for a proof of another program; the backend's verification against
    // `params` is what rejects a forged digest.
    if proof.vk_digest != vk.digest() {
        return Err(SdkError::VkMismatch {
            expected: vk.digest(),
            found: proof.vk_digest,
        });
    }
    let payload = backend.decode(&proof.payload)?;
    let claim = Claim {
        exit_code: proof.exit_code,
        public_values: proof.public_values.as_bytes(),
    };
    backend.verify(params, &payload, claim)
}

/// A run's output as the SDK hands it out.
fn split_output(out: ExecutionOutput) -> (PublicValues, ExecutionReport) {
    let report = ExecutionReport {
        exit_code: out.exit_code,
        cycles: out.cycles,
        output_digest_matches: out.digest_matches(),
        stdout: out.stdout,
        stderr: out.stderr,
    };
    (PublicValues::from_bytes(out.public_output), report)
}

/// Which proof a [`ProveRequest`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProofKind {
    Stark,
    Mock,
    Wrapped,
}

/// A pending proof of one run, from [`ProverClient::prove`]. Pick the kind (default
/// [`ProveRequest::stark`]), then [`ProveRequest::run`].
#[derive(Debug)]
#[must_use = "a prove request does nothing until .run()"]
pub struct ProveRequest<'a> {
    client: &'a ProverClient,
    pk: &'a ProvingKey,
    stdin: &'a Stdin,
    kind: ProofKind,
}

impl ProveRequest<'_> {
    /// A STARK proof (the default): Plonky3 over every chip of the machine.
    pub fn stark(mut self) -> Self {
        self.kind = ProofKind::Stark;
        self
    }

    /// A mock proof: the run is executed (within the same cycle limit as a real proof) but not
    /// proven. The proof carries the exit code and public values, so host code can be
    /// developed against it in a fraction of the time, and [`ProverClient::verify`] always
    /// rejects it with [`SdkError::MockProof`].
    pub fn mock(mut self) -> Self {
        self.kind = ProofKind::Mock;
        self
    }

    /// A STARK proof compressed into a small Halo2 SNARK (IPA over Pasta, no trusted setup),
    /// for posting on chain or shipping over the wire: a few kilobytes, verified in under a
    /// second. Proving takes much longer than the STARK alone ([`crate::WrapBackend`]).
    pub fn wrapped(mut self) -> Self {
        self.kind = ProofKind::Wrapped;
        self
    }

    /// Executes the program and proves the run.
    ///
    /// # Errors
    /// [`SdkError::Execution`] for a guest fault or limit, [`SdkError::TooLongToProve`],
    /// [`SdkError::OutputDigestMismatch`], [`SdkError::Proving`], and [`SdkError::Wrapping`]
    /// for [`ProveRequest::wrapped`].
    pub fn run(self) -> Result<GeodeProof, SdkError> {
        let Self {
            client, pk, stdin, ..
        } = self;
        match self.kind {
            ProofKind::Stark => client.prove_with(&StarkBackend, pk.machine(), pk, stdin),
            ProofKind::Mock => client.prove_with(&MockBackend, &(), pk, stdin),
            ProofKind::Wrapped => client.prove_with(&WrapBackend, pk.machine(), pk, stdin),
        }
    }
}
