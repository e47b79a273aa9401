//! [`RiscvMachine`]: a program's chips (its verifying key), proving and verifying its runs.

use std::collections::BTreeSet;

use geode_executor::{
    AluOp, ExecOptions, ExecutionOutput, ExecutionRecord, Program, Stdin, execute_recorded,
    keccak256,
};
use geode_stark::debug::{DebugFailure, DebugInstance};
use geode_stark::{
    FastConfig, FastParams, GeodeConfig, KeyCache, StarkProof, StarkProofOf, Val, verify_with_key,
};
use p3_matrix::dense::RowMajorMatrix;

use crate::alu::AluEvent;
use crate::alu::add_sub::AddSubChip;
use crate::alu::bitwise::BitwiseChip;
use crate::alu::divrem::DivRemChip;
use crate::alu::lt::LtChip;
use crate::alu::mul::MulChip;
use crate::alu::shift::ShiftChip;
use crate::byte::ByteChip;
use crate::byte_counter::ByteCounter;
use crate::chips::RiscvChip;
use crate::cpu::CpuChip;
use crate::error::MachineError;
use crate::keccak::{KeccakControlChip, KeccakPermuteChip};
use crate::load_store::{self, LoadStoreChip};
use crate::memory::{ImageChip, MemoryFinalChip, MemoryInitChip, memory_tables};
use crate::program::ProgramChip;
use crate::secp256k1::Secp256k1Chip;
use crate::syscall::halt::{self, HaltChip};
use crate::syscall::hint_read::{self, HintReadChip};
use crate::syscall::misc::{self, MiscSyscallChip};
use crate::uint256::MulModChip;
use crate::word_io::{self, WordIoChip};

/// The most cycles one proof covers: every timestamp `4·clk + 3` stays below 2^24, which the
/// memory chips' range checks rely on.
pub const MAX_PROVABLE_CYCLES: u64 = (1 << 22) - 2;

/// A program's machine: its chips, including the preprocessed program table and memory image
/// derived from the ELF alone. This is the verifying key.
#[derive(Clone, Debug)]
pub struct RiscvMachine {
    program: Program,
    program_chip: ProgramChip,
    image_chip: ImageChip,
    config: FastConfig,
    /// The verifier's data for the last proof shape checked (see [`RiscvMachine::verify`]).
    verifier_keys: KeyCache<FastConfig>,
}

/// Every chip's trace for one run, in proof order, with its public values.
#[derive(Debug)]
pub struct MachineTraces {
    /// The chips present in this run.
    pub chips: Vec<RiscvChip>,
    /// One trace per chip.
    pub traces: Vec<RowMajorMatrix<Val>>,
    /// One list of public values per chip.
    pub public_values: Vec<Vec<Val>>,
}

impl MachineTraces {
    /// Checks every constraint and bus with the debug checker (names the chip, row and column).
    ///
    /// # Errors
    /// The failures found.
    pub fn debug_check(&self) -> Result<(), Vec<DebugFailure>> {
        let instances: Vec<_> = self
            .chips
            .iter()
            .zip(&self.traces)
            .zip(&self.public_values)
            .map(|((air, trace), public_values)| DebugInstance {
                air,
                trace,
                public_values,
            })
            .collect();
        geode_stark::debug::check(&instances)
    }

    /// The trace of the chip named `name`, for tests that tamper with it.
    pub fn trace_mut(&mut self, name: &str) -> Option<&mut RowMajorMatrix<Val>> {
        let index = self
            .chips
            .iter()
            .position(|c| geode_stark::Chip::<Val>::name(c) == name)?;
        Some(&mut self.traces[index])
    }
}

impl RiscvMachine {
    /// The machine (verifying key) of `program`.
    pub fn new(program: Program) -> Self {
        let program_chip = ProgramChip::new(&program);
        let image_chip = ImageChip::new(&program);
        Self {
            program,
            program_chip,
            image_chip,
            config: FastParams::DEFAULT.config(),
            verifier_keys: KeyCache::new(),
        }
    }

    /// The program this machine proves runs of.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Runs the program for a proof: recording events, within [`MAX_PROVABLE_CYCLES`].
    ///
    /// # Errors
    /// A guest fault, or a run too long to prove.
    pub fn execute(
        &self,
        stdin: &Stdin,
    ) -> Result<(ExecutionOutput, ExecutionRecord), MachineError> {
        let opts = ExecOptions::with_max_cycles(MAX_PROVABLE_CYCLES);
        match execute_recorded(&self.program, stdin, &opts) {
            Err(geode_executor::ExecError::CycleLimit { .. }) => Err(MachineError::TooLong {
                cycles: MAX_PROVABLE_CYCLES + 1,
                max: MAX_PROVABLE_CYCLES,
            }),
            other => Ok(other?),
        }
    }

    /// Every chip's trace for a recorded run.
    ///
    /// # Errors
    /// [`MachineError::NotProvable`] if the run needs a chip that does not exist yet.
    pub fn generate_traces(
        &self,
        out: &ExecutionOutput,
        record: &ExecutionRecord,
    ) -> Result<MachineTraces, MachineError> {
        check_provable(record)?;
        let counter = ByteCounter::new();
        let entry = self.program.entry();
        let (cpu_trace, effects) = crate::cpu::generate_trace(&self.program, &record.cpu, &counter);
        let mut chips = vec![
            RiscvChip::Program(self.program_chip.clone()),
            RiscvChip::Cpu(CpuChip { entry }),
        ];
        let mut traces = vec![
            self.program_chip.generate_trace(&effects.program_counts),
            cpu_trace,
        ];

        let ls_events = load_store::events_from_record(&self.program, record)
            .map_err(MachineError::InvalidRecord)?;
        if !ls_events.is_empty() {
            chips.push(RiscvChip::LoadStore(LoadStoreChip));
            traces.push(LoadStoreChip.generate_trace(&ls_events, &counter));
        }
        let alu = effects.alu;
        let by_op = |ops: &[AluOp]| -> Vec<AluEvent> {
            alu.iter()
                .filter(|e| ops.contains(&e.op))
                .copied()
                .collect()
        };
        // ALU chips without events are left out of the proof.
        let alu_chips: [(RiscvChip, &[AluOp]); 6] = [
            (RiscvChip::AddSub(AddSubChip), &AddSubChip::OPS),
            (RiscvChip::Bitwise(BitwiseChip), &BitwiseChip::OPS),
            (RiscvChip::Lt(LtChip), &LtChip::OPS),
            (RiscvChip::Shift(ShiftChip), &ShiftChip::OPS),
            (RiscvChip::Mul(MulChip), &MulChip::OPS),
            (RiscvChip::DivRem(DivRemChip), &DivRemChip::OPS),
        ];
        for (chip, ops) in alu_chips {
            let events = by_op(ops);
            if events.is_empty() {
                continue;
            }
            let trace = match &chip {
                RiscvChip::AddSub(c) => c.generate_trace(&events, &counter),
                RiscvChip::Bitwise(c) => c.generate_trace(&events, &counter),
                RiscvChip::Lt(c) => c.generate_trace(&events, &counter),
                RiscvChip::Shift(c) => c.generate_trace(&events, &counter),
                RiscvChip::Mul(c) => c.generate_trace(&events, &counter),
                RiscvChip::DivRem(c) => c.generate_trace(&events, &counter),
                _ => unreachable!("only ALU chips are listed"),
            };
            chips.push(chip);
            traces.push(trace);
        }

        let (init, finals) =
            memory_tables(&self.program, record).map_err(MachineError::InvalidRecord)?;
        chips.push(RiscvChip::MemoryInit(MemoryInitChip));
        traces.push(crate::memory::init::generate_trace(&init, &counter));
        if !self.program.image().is_empty() {
            chips.push(RiscvChip::Image(self.image_chip.clone()));
            traces.push(self.image_chip.generate_trace());
        }
        chips.push(RiscvChip::MemoryFinal(MemoryFinalChip));
        traces.push(crate::memory::finalize::generate_trace(&finals, &counter));
        chips.push(RiscvChip::Halt(HaltChip));
        traces.push(halt::generate_trace(record, &counter));
        if record.syscalls.iter().any(|s| misc::IDS.contains(&s.id)) {
            chips.push(RiscvChip::SyscallMisc(MiscSyscallChip));
            traces.push(misc::generate_trace(record, &counter));
        }
        if record
            .syscalls
            .iter()
            .any(|s| s.id == geode_platform::syscall::HINT_READ)
        {
            chips.push(RiscvChip::HintRead(HintReadChip));
            traces.push(hint_read::generate_trace(record, &counter));
        }
        if !record.keccak.is_empty() {
            chips.push(RiscvChip::KeccakControl(KeccakControlChip));
            traces.push(
                crate::keccak::control::generate_trace(record, &counter)
                    .map_err(MachineError::InvalidRecord)?,
            );
            chips.push(RiscvChip::KeccakPermute(KeccakPermuteChip));
            traces.push(crate::keccak::permute::generate_trace(record));
        }
        let uses = |ids: &[u32]| record.syscalls.iter().any(|s| ids.contains(&s.id));
        let secp = [
            geode_platform::syscall::SECP256K1_ADD,
            geode_platform::syscall::SECP256K1_DOUBLE,
        ];
        if uses(&secp) {
            chips.push(RiscvChip::Secp256k1(Secp256k1Chip));
            traces.push(
                crate::secp256k1::generate_trace(record, &counter)
                    .map_err(MachineError::InvalidRecord)?,
            );
        }
        if uses(&[geode_platform::syscall::UINT256_MULMOD]) {
            chips.push(RiscvChip::MulMod(MulModChip));
            traces.push(
                crate::uint256::mulmod::generate_trace(record, &counter)
                    .map_err(MachineError::InvalidRecord)?,
            );
        }
        if uses(&word_io::IDS) {
            chips.push(RiscvChip::WordIo(WordIoChip));
            traces.push(
                word_io::generate_trace(record, &counter).map_err(MachineError::InvalidRecord)?,
            );
        }
        // Last: every other chip has counted its byte lookups by now.
        chips.push(RiscvChip::Byte(ByteChip));
        traces.push(ByteChip.generate_trace(&counter));

        let mut public_values = vec![Vec::new(); chips.len()];
        let halt_index = chips
            .iter()
            .position(|c| matches!(c, RiscvChip::Halt(_)))
            .expect("halt chip is always present");
        public_values[halt_index] = halt::public_values(out.exit_code, &out.output_digest);
        Ok(MachineTraces {
            chips,
            traces,
            public_values,
        })
    }

    /// Runs the program and proves the run.
    ///
    /// # Errors
    /// A guest fault, a run that cannot be proven yet, or a proving failure.
    pub fn prove(&self, stdin: &Stdin) -> Result<(ExecutionOutput, StarkProof), MachineError> {
        let (out, record) = self.execute(stdin)?;
        let traces = self.generate_traces(&out, &record)?;
        // The traces hold all the proof needs; kept, the record would add to the peak.
        drop(record);
        let proof = self.prove_traces_owned(traces)?;
        Ok((out, proof))
    }

    /// Proves already generated traces.
    ///
    /// # Errors
    /// A proving failure.
    pub fn prove_traces(&self, t: &MachineTraces) -> Result<StarkProof, MachineError> {
        self.prove_traces_with(&self.config, t)
    }

    /// [`RiscvMachine::prove_traces`], given the traces by value: they are freed halfway
    /// through the proof (once the LogUp traces are generated), for a lower peak.
    ///
    /// # Errors
    /// A proving failure.
    pub fn prove_traces_owned(&self, t: MachineTraces) -> Result<StarkProof, MachineError> {
        Ok(geode_stark::prove_owned(
            &self.config,
            &t.chips,
            t.traces,
            &t.public_values,
        )?)
    }

    /// Proves already generated traces under another configuration (the same chips, e.g. the
    /// wrap configuration's hash and transcript).
    ///
    /// # Errors
    /// A proving failure.
    pub fn prove_traces_with<SC: GeodeConfig>(
        &self,
        config: &SC,
        t: &MachineTraces,
    ) -> Result<StarkProofOf<SC>, MachineError> {
        Ok(geode_stark::prove(
            config,
            &t.chips,
            &t.traces,
            &t.public_values,
        )?)
    }

    /// Verifies that this program, run on some input, halted with `exit_code` after committing
    /// exactly `public_output`.
    ///
    /// What the verifier derives from the proof's shape alone (its chips and heights: the
    /// commitment to the fixed tables, the lookup layout) is kept for the next proof of that
    /// shape, shared with this machine's clones: it costs about as much as the rest of a check.
    ///
    /// # Errors
    /// Why the proof is rejected.
    pub fn verify(
        &self,
        proof: &StarkProof,
        exit_code: u32,
        public_output: &[u8],
    ) -> Result<(), MachineError> {
        let (chips, public_values) = self.statement(&proof.chips, exit_code, public_output)?;
        let key = self.verifier_keys.key_for(&self.config, &chips, proof)?;
        verify_with_key(&self.config, &chips, &key, proof, &public_values)?;
        Ok(())
    }

    /// [`RiscvMachine::verify`] for a proof made under another configuration.
    ///
    /// # Errors
    /// Why the proof is rejected.
    pub fn verify_with<SC: GeodeConfig>(
        &self,
        config: &SC,
        proof: &StarkProofOf<SC>,
        exit_code: u32,
        public_output: &[u8],
    ) -> Result<(), MachineError> {
        let (chips, public_values) = self.statement(&proof.chips, exit_code, public_output)?;
        geode_stark::verify(config, &chips, proof, &public_values)?;
        Ok(())
    }

    /// What a proof naming `chips` is checked against for the claim (`exit_code`,
    /// `public_output`): those chips, if this program allows them, and each one's public
    /// values. The Halo2 wrapper checks the same statement.
    ///
    /// # Errors
    /// [`MachineError::ChipSet`] if the chips are not an allowed set.
    pub fn statement(
        &self,
        chips: &[String],
        exit_code: u32,
        public_output: &[u8],
    ) -> Result<(Vec<RiscvChip>, Vec<Vec<Val>>), MachineError> {
        let chips = self.chips_of(chips)?;
        let digest = keccak256(public_output);
        let public_values = chips
            .iter()
            .map(|c| {
                if matches!(c, RiscvChip::Halt(_)) {
                    halt::public_values(exit_code, &digest)
                } else {
                    Vec::new()
                }
            })
            .collect();
        Ok((chips, public_values))
    }

    /// The security estimate of `proof`'s shape (its chips at their heights).
    ///
    /// # Errors
    /// If the proof names chips this program does not allow.
    pub fn security(
        &self,
        proof: &StarkProof,
    ) -> Result<geode_stark::SecurityReport, MachineError> {
        let chips = self.chips_of(&proof.chips)?;
        Ok(geode_stark::security_of(
            &FastParams::DEFAULT,
            &chips,
            proof.log_heights(),
        )?)
    }

    /// The chips a proof names, checked against the set this program allows: the always-present
    /// chips exactly once, optional ALU chips at most once, nothing else.
    fn chips_of(&self, names: &[String]) -> Result<Vec<RiscvChip>, MachineError> {
        let mut seen = BTreeSet::new();
        let mut chips = Vec::new();
        for name in names {
            if !seen.insert(name.as_str()) {
                return Err(MachineError::ChipSet(format!("chip {name} appears twice")));
            }
            chips.push(match name.as_str() {
                "program" => RiscvChip::Program(self.program_chip.clone()),
                "cpu" => RiscvChip::Cpu(CpuChip {
                    entry: self.program.entry(),
                }),
                "add_sub" => RiscvChip::AddSub(AddSubChip),
                "bitwise" => RiscvChip::Bitwise(BitwiseChip),
                "lt" => RiscvChip::Lt(LtChip),
                "shift" => RiscvChip::Shift(ShiftChip),
                "mul" => RiscvChip::Mul(MulChip),
                "divrem" => RiscvChip::DivRem(DivRemChip),
                "load_store" => RiscvChip::LoadStore(LoadStoreChip),
                "memory_init" => RiscvChip::MemoryInit(MemoryInitChip),
                "image" if !self.program.image().is_empty() => {
                    RiscvChip::Image(self.image_chip.clone())
                }
                "memory_final" => RiscvChip::MemoryFinal(MemoryFinalChip),
                "halt" => RiscvChip::Halt(HaltChip),
                "syscall_misc" => RiscvChip::SyscallMisc(MiscSyscallChip),
                "hint_read" => RiscvChip::HintRead(HintReadChip),
                "keccak_control" => RiscvChip::KeccakControl(KeccakControlChip),
                "keccak_permute" => RiscvChip::KeccakPermute(KeccakPermuteChip),
                "secp256k1_point" => RiscvChip::Secp256k1(Secp256k1Chip),
                "uint256_mulmod" => RiscvChip::MulMod(MulModChip),
                "word_io" => RiscvChip::WordIo(WordIoChip),
                "byte" => RiscvChip::Byte(ByteChip),
                other => return Err(MachineError::ChipSet(format!("unknown chip {other}"))),
            });
        }
        let mut required = vec![
            "program",
            "cpu",
            "memory_init",
            "memory_final",
            "halt",
            "byte",
        ];
        if !self.program.image().is_empty() {
            required.push("image");
        }
        if let Some(missing) = required.iter().find(|r| !seen.contains(**r)) {
            return Err(MachineError::ChipSet(format!(
                "required chip {missing} is missing"
            )));
        }
        Ok(chips)
    }
}

/// Refuses runs that need chips this machine does not have yet.
fn check_provable(record: &ExecutionRecord) -> Result<(), MachineError> {
    if record.cpu.len() as u64 > MAX_PROVABLE_CYCLES {
        return Err(MachineError::TooLong {
            cycles: record.cpu.len() as u64,
            max: MAX_PROVABLE_CYCLES,
        });
    }
    let proven = |id: u32| {
        id == geode_platform::syscall::HALT
            || id == geode_platform::syscall::HINT_READ
            || id == geode_platform::syscall::KECCAK_PERMUTE
            || word_io::IDS.contains(&id)
            || misc::IDS.contains(&id)
    };
    if let Some(s) = record.syscalls.iter().find(|s| !proven(s.id)) {
        let name = geode_platform::syscall::name(s.id).unwrap_or("an unknown syscall");
        return Err(MachineError::NotProvable {
            what: format!("the {name} syscall"),
        });
    }
    Ok(())
}
