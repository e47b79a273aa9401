//! Geode's RV32IM executor: loads an ELF, runs it, and records what the prover needs.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use geode_executor::{ExecOptions, Program, Stdin, execute};
//! let program = Program::from_elf(&std::fs::read("fibonacci")?)?;
//! let mut stdin = Stdin::new();
//! stdin.write(&20u32)?;
//! let out = execute(&program, &stdin, &ExecOptions::default())?;
//! assert_eq!(out.exit_code, 0);
//! # Ok(())
//! # }
//! ```
//!
//! Two modes share one run loop: [`execute`] only runs; [`execute_recorded`] also fills an
//! [`ExecutionRecord`] of plain-integer events. This crate never sees a field element.
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod decode;
mod error;
mod io;
mod isa;
mod machine;
pub mod program;
pub mod record;
mod syscall;
pub mod testing;
mod tracer;

use std::io::Write;

pub use decode::{decode, disassemble};
pub use error::{AccessKind, ElfError, ExecError};
pub use io::{CodecError, PublicValuesReader, Stdin};
pub use isa::{AluOp, Instruction, Opcode};
pub use program::Program;
pub use record::ExecutionRecord;

use crate::machine::{Halted, Machine};
use crate::tracer::{Listing, NoTrace, Recorder};

/// Runs stop with [`ExecError::CycleLimit`] after this many instructions unless told otherwise.
pub const DEFAULT_MAX_CYCLES: u64 = 1 << 30;

/// The most cycles a recorded run may take: every timestamp (`4 * clk + 3`) then stays below
/// 2^29, far below the KoalaBear modulus, so the prover can range-check timestamp differences.
/// Recording (and `--trace`) stop with [`ExecError::CycleLimit`] here even if
/// [`ExecOptions::max_cycles`] is larger.
pub const MAX_RECORDED_CYCLES: u64 = (1 << 27) - 1;

/// Default bound on the bytes a run may write (WRITE and COMMIT together), so a hostile guest
/// cannot exhaust the host's memory with output.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 64 << 20;

/// How to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecOptions {
    /// Fail with [`ExecError::CycleLimit`] rather than run more instructions than this.
    pub max_cycles: u64,
    /// Fail with [`ExecError::OutputLimit`] rather than write more bytes than this.
    pub max_output_bytes: usize,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self {
            max_cycles: DEFAULT_MAX_CYCLES,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
        }
    }
}

impl ExecOptions {
    /// Default options with a different cycle limit.
    pub fn with_max_cycles(max_cycles: u64) -> Self {
        Self {
            max_cycles,
            ..Self::default()
        }
    }
}

/// Rejects input a guest could not address.
fn check_input(input: &Stdin) -> Result<&[u8], ExecError> {
    let bytes = input.as_bytes();
    if bytes.len() >= geode_platform::memory::MEMORY_TOP as usize {
        return Err(ExecError::InputTooLarge { bytes: bytes.len() });
    }
    Ok(bytes)
}

/// What a finished run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutionOutput {
    /// `a0` at HALT.
    pub exit_code: u32,
    /// The 32 bytes HALT pointed to: keccak256 of the public output, if the guest is honest.
    pub output_digest: [u8; 32],
    /// Every byte the guest committed, in order.
    pub public_output: Vec<u8>,
    /// What the guest wrote to fd 1.
    pub stdout: Vec<u8>,
    /// What the guest wrote to fd 2.
    pub stderr: Vec<u8>,
    /// Instructions executed, the final `ecall` included.
    pub cycles: u64,
}

impl ExecutionOutput {
    /// A reader over the committed values.
    pub fn public_values(&self) -> PublicValuesReader<'_> {
        PublicValuesReader::new(&self.public_output)
    }

    /// Whether `output_digest` is keccak256 of `public_output`, as the verifier will demand.
    pub fn digest_matches(&self) -> bool {
        keccak256(&self.public_output) == self.output_digest
    }
}

/// keccak256 (Ethereum's padding), the hash of the public output.
pub fn keccak256(bytes: &[u8]) -> [u8; 32] {
    use tiny_keccak::Hasher;
    let mut hasher = tiny_keccak::Keccak::v256();
    hasher.update(bytes);
    let mut out = [0u8; 32];
    hasher.finalize(&mut out);
    out
}

/// Runs `program` on `input` as fast as possible, recording nothing.
///
/// # Errors
/// [`ExecError`] for a guest fault or the cycle limit.
pub fn execute(
    program: &Program,
    input: &Stdin,
    opts: &ExecOptions,
) -> Result<ExecutionOutput, ExecError> {
    let mut machine = Machine::new(program, check_input(input)?, opts.max_output_bytes, NoTrace);
    let halted = machine.run(opts.max_cycles)?;
    Ok(output(machine, halted))
}

/// Runs `program` and records every event into one [`ExecutionRecord`].
///
/// # Errors
/// [`ExecError`] for a guest fault or the cycle limit (at most [`MAX_RECORDED_CYCLES`]).
pub fn execute_recorded(
    program: &Program,
    input: &Stdin,
    opts: &ExecOptions,
) -> Result<(ExecutionOutput, ExecutionRecord), ExecError> {
    let mut record = ExecutionRecord::default();
    let out = execute_recorded_chunks(program, input, opts, usize::MAX, |chunk| {
        record.append(std::mem::take(chunk))
    })?;
    Ok((out, record))
}

/// Runs `program` recording events, lending them to `sink` every `chunk_cycles` instructions
/// (and the rest, with the final memory state, at HALT), so long runs need not hold every event.
/// The chunk is cleared after `sink` returns and its buffers reused; take it
/// (`std::mem::take(chunk)`) to keep it.
///
/// # Errors
/// [`ExecError`] for a guest fault or the cycle limit (at most [`MAX_RECORDED_CYCLES`]).
pub fn execute_recorded_chunks(
    program: &Program,
    input: &Stdin,
    opts: &ExecOptions,
    chunk_cycles: usize,
    sink: impl FnMut(&mut ExecutionRecord),
) -> Result<ExecutionOutput, ExecError> {
    let chunk_cycles = chunk_cycles.max(1);
    let mut record = ExecutionRecord::default();
    // Chunks of bounded size get their buffers up front; unbounded ones grow as needed.
    if chunk_cycles <= 1 << 22 {
        record.cpu.reserve_exact(chunk_cycles);
        record.memory.reserve(chunk_cycles / 2);
    }
    let recorder = Recorder {
        record,
        chunk_cycles,
        sink,
    };
    let mut machine = Machine::new(
        program,
        check_input(input)?,
        opts.max_output_bytes,
        recorder,
    );
    let halted = machine.run(opts.max_cycles.min(MAX_RECORDED_CYCLES))?;
    Ok(output(machine, halted))
}

/// Where a run's cycles went: executed instructions per text word and calls per syscall id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Address of the first text word ([`Program::text_start`]).
    pub text_start: u32,
    /// Times each text word (in address order) was executed.
    pub instructions: Vec<u64>,
    /// Calls per syscall id.
    pub syscalls: std::collections::BTreeMap<u32, u64>,
}

impl Profile {
    /// `(pc, count)` of every executed instruction, in address order.
    pub fn executed(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.instructions
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, &n)| (self.text_start + 4 * i as u32, n))
    }
}

/// Runs `program` counting executed instructions per pc and calls per syscall.
///
/// # Errors
/// [`ExecError`] for a guest fault or the cycle limit.
pub fn execute_profiled(
    program: &Program,
    input: &Stdin,
    opts: &ExecOptions,
) -> Result<(ExecutionOutput, Profile), ExecError> {
    let profiler = tracer::Profiler {
        text_start: program.text_start(),
        profile: Profile {
            text_start: program.text_start(),
            instructions: vec![0; program.instructions().len()],
            syscalls: std::collections::BTreeMap::new(),
        },
    };
    let mut machine = Machine::new(
        program,
        check_input(input)?,
        opts.max_output_bytes,
        profiler,
    );
    let halted = machine.run(opts.max_cycles.min(MAX_RECORDED_CYCLES))?;
    let profile = std::mem::take(&mut machine.tracer.profile);
    Ok((output(machine, halted), profile))
}

/// Runs `program` writing one line per instruction (and syscall) to `listing`.
///
/// # Errors
/// [`ExecError`] for a guest fault or the cycle limit.
pub fn execute_traced(
    program: &Program,
    input: &Stdin,
    opts: &ExecOptions,
    listing: &mut dyn Write,
) -> Result<ExecutionOutput, ExecError> {
    let mut machine = Machine::new(
        program,
        check_input(input)?,
        opts.max_output_bytes,
        Listing {
            program,
            out: listing,
        },
    );
    let halted = machine.run(opts.max_cycles.min(MAX_RECORDED_CYCLES))?;
    Ok(output(machine, halted))
}

fn output<T: tracer::Tracer>(machine: Machine<'_, T>, halted: Halted) -> ExecutionOutput {
    ExecutionOutput {
        exit_code: halted.exit_code,
        output_digest: halted.digest,
        public_output: machine.public_output,
        stdout: machine.stdout,
        stderr: machine.stderr,
        cycles: halted.cycles,
    }
}
