//! Proof malleability at scale: many mutated verification attempts against honest proofs, each
//! of which must be rejected with an error and never panic. Used by the test suite (a few
//! hundred attempts) and by `cargo xtask malleability` (ten thousand).
//!
//! A [`Subject`] is a program's verifying key with one honest proof and its claim (exit code,
//! public output). An attempt picks a [`Kind`] and a subject, derives everything else from its
//! own seed (so any attempt can be replayed alone), and verifies:
//! - an edited serialized proof ([`ByteEdit`]), decoded and then verified;
//! - a decoded proof with two same-typed parts swapped ([`Swap`]);
//! - the proof of another program, or of this program on another input, against this claim;
//! - the honest proof with a changed exit code or public output;
//! - the honest proof and claim against another verifying key: the program with one ELF byte
//!   changed (in code or data), or another guest.

pub mod mutate;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use geode_executor::testing::SplitMix64;
use geode_executor::testing::hostile::{EHSIZE, PHENTSIZE};
use geode_executor::{ElfError, Program, Stdin};
use geode_machine::{MachineError, RiscvMachine};
use geode_stark::{StarkError, StarkProof};

pub use mutate::{ByteEdit, Swap};

mod panics;

/// Why a subject could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SubjectError {
    /// The ELF does not load.
    #[error("loading the ELF: {0}")]
    Elf(#[from] ElfError),
    /// The honest run could not be proven, or its proof does not verify.
    #[error("proving the honest run: {0}")]
    Machine(#[from] MachineError),
    /// The honest proof does not serialize.
    #[error("serializing the honest proof: {0}")]
    Stark(#[from] StarkError),
}

/// A program's verifying key, one honest proof of it, and the proof's claim.
#[derive(Debug)]
pub struct Subject {
    /// Names the subject in reports, e.g. `fibonacci(7)`.
    pub label: String,
    /// The ELF the machine was built from; subjects with the same ELF are the same program.
    elf: Vec<u8>,
    machine: RiscvMachine,
    proof: Vec<u8>,
    exit_code: u32,
    public_output: Vec<u8>,
    /// Machines of the same ELF with one byte of a loadable segment changed.
    tweaked: Vec<RiscvMachine>,
}

impl Subject {
    /// Proves a run of `elf` on `stdin`, checks the proof verifies, and builds `tweaks`
    /// verifying keys of one-byte variants of the ELF (chosen by `seed`).
    ///
    /// # Errors
    /// If the ELF does not load or the run cannot be proven.
    pub fn prove(
        label: &str,
        elf: &[u8],
        stdin: &Stdin,
        tweaks: usize,
        seed: u64,
    ) -> Result<Self, SubjectError> {
        let machine = RiscvMachine::new(Program::from_elf(elf)?);
        let (out, proof) = machine.prove(stdin)?;
        machine.verify(&proof, out.exit_code, &out.public_output)?;
        let mut rng = SplitMix64(seed);
        let segments = loadable_bytes(elf);
        let mut tweaked = Vec::new();
        while tweaked.len() < tweaks && !segments.is_empty() {
            let (offset, len) = segments[tweaked.len() % segments.len()];
            let mut variant = elf.to_vec();
            variant[offset + rng.below(len)] ^= 1 + rng.below(255) as u8;
            if let Ok(program) = Program::from_elf(&variant) {
                tweaked.push(RiscvMachine::new(program));
            }
        }
        Ok(Self {
            label: label.to_owned(),
            elf: elf.to_vec(),
            machine,
            proof: proof.to_bytes()?,
            exit_code: out.exit_code,
            public_output: out.public_output,
            tweaked,
        })
    }

    /// The serialized honest proof.
    pub fn proof_bytes(&self) -> &[u8] {
        &self.proof
    }
}

/// `(file offset, length)` of every loadable segment's file bytes in an ELF32 file.
fn loadable_bytes(elf: &[u8]) -> Vec<(usize, usize)> {
    let u32_at = |at: usize| {
        elf.get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let phoff = u32_at(28);
    let phnum = elf
        .get(44..46)
        .map_or(0, |b| usize::from(b[0]) | usize::from(b[1]) << 8);
    (0..phnum)
        .map(|k| phoff + k * PHENTSIZE)
        .filter(|&ph| u32_at(ph) == 1 && ph >= EHSIZE)
        .map(|ph| (u32_at(ph + 4), u32_at(ph + 16)))
        .filter(|&(offset, len)| len > 0 && offset + len <= elf.len())
        .collect()
}

/// What an attempt changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An edit of the serialized proof.
    Bytes(ByteEdit),
    /// A swap inside the decoded proof (the kind of swap is drawn per attempt).
    Swapped,
    /// The proof of another program, with its own claim, against this program's key.
    OtherProgram,
    /// The proof of this program on another input, against this input's claim.
    OtherInput,
    /// The honest proof with another exit code.
    ExitCode,
    /// The honest proof with another public output.
    PublicOutput,
    /// The honest proof and claim against another verifying key.
    VerifyingKey,
}

impl Kind {
    /// Every kind, in the order attempts cycle through them.
    pub const ALL: [Kind; 12] = [
        Kind::Bytes(ByteEdit::Flip),
        Kind::Bytes(ByteEdit::Zero),
        Kind::Bytes(ByteEdit::Truncate),
        Kind::Bytes(ByteEdit::Extend),
        Kind::Bytes(ByteEdit::SwapRanges),
        Kind::Bytes(ByteEdit::Overlong),
        Kind::Swapped,
        Kind::OtherProgram,
        Kind::OtherInput,
        Kind::ExitCode,
        Kind::PublicOutput,
        Kind::VerifyingKey,
    ];

    /// A short name for reports.
    pub fn name(self) -> String {
        match self {
            Kind::Bytes(edit) => format!("bytes-{edit:?}").to_lowercase(),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

/// Where an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// `StarkProof::from_bytes` refused the bytes.
    Decode,
    /// The verifier refused the proof's shape, version or chip set before any cryptography.
    Shape,
    /// The Plonky3 verifier returned an error.
    Verifier,
    /// The Plonky3 verifier panicked, and geode-stark turned the panic into an error.
    VerifierPanic,
    /// Accepted: a forgery.
    Accepted,
    /// A panic reached the caller.
    Panicked,
}

/// What one kind of attempt gave.
#[derive(Clone, Debug, Default)]
pub struct KindStats {
    /// Attempts of this kind.
    pub attempts: usize,
    /// How many ended at each stage.
    pub stages: BTreeMap<Stage, usize>,
    /// Verification time summed over the attempts.
    pub time: Duration,
}

/// A campaign's results.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Per kind (by [`Kind::name`]), including per swap for [`Kind::Swapped`].
    pub kinds: BTreeMap<String, KindStats>,
    /// Descriptions of accepted or panicking attempts (empty when all is well).
    pub failures: Vec<String>,
    /// Wall time of the campaign.
    pub elapsed: Duration,
}

impl Report {
    /// Attempts made.
    pub fn attempts(&self) -> usize {
        self.kinds.values().map(|k| k.attempts).sum()
    }

    /// Attempts that ended at `stage`.
    pub fn count(&self, stage: Stage) -> usize {
        self.kinds
            .values()
            .filter_map(|k| k.stages.get(&stage))
            .sum()
    }

    /// Attempts rejected with an error.
    pub fn rejected(&self) -> usize {
        self.attempts() - self.count(Stage::Accepted) - self.count(Stage::Panicked)
    }
}

/// Makes `count` attempts spread over every kind and subject, on `threads` threads. Attempt
/// `k` is determined by `seed` and `k` alone. While it runs, panics on the worker threads are
/// counted instead of printed.
pub fn run(subjects: &[Subject], count: usize, seed: u64, threads: usize) -> Report {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    panics::quiet_on_workers(|| {
        std::thread::scope(|s| {
            for _ in 0..threads.max(1) {
                s.spawn(|| {
                    let _worker = panics::Worker::enter();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= count {
                            break;
                        }
                        let (name, stage, time, what) = attempt(subjects, seed, k);
                        let mut r = report.lock().unwrap_or_else(|e| e.into_inner());
                        let stats = r.kinds.entry(name).or_default();
                        stats.attempts += 1;
                        stats.time += time;
                        *stats.stages.entry(stage).or_default() += 1;
                        if matches!(stage, Stage::Accepted | Stage::Panicked) {
                            r.failures
                                .push(format!("attempt {k} (seed {seed}): {what}"));
                        }
                    }
                });
            }
        });
    });
    let mut report = report.into_inner().unwrap_or_else(|e| e.into_inner());
    report.elapsed = start.elapsed();
    report
}

/// One attempt: its report name, where it ended, how long it took, and what it was.
fn attempt(subjects: &[Subject], seed: u64, k: usize) -> (String, Stage, Duration, String) {
    let kind = Kind::ALL[k % Kind::ALL.len()];
    let mut rng = SplitMix64(seed ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let me = &subjects[(k / Kind::ALL.len()) % subjects.len()];
    let mut name = kind.name();
    let mut what = format!("{} {name}", me.label);
    let start = Instant::now();
    let panics_before = panics::count();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let forged = forge(kind, me, subjects, &mut rng);
        if let Forgery::Swapped(swap, _) = &forged {
            name = format!("swap-{swap:?}").to_lowercase();
        }
        verify(me, forged)
    }));
    let stage = match outcome {
        Err(_) => {
            what = format!("{what}: {}", panics::last_message());
            Stage::Panicked
        }
        Ok(Ok(())) => Stage::Accepted,
        Ok(Err(stage)) if panics::count() > panics_before && stage == Stage::Verifier => {
            Stage::VerifierPanic
        }
        Ok(Err(stage)) => stage,
    };
    (name, stage, start.elapsed(), what)
}

/// A forged verification input.
enum Forgery<'a> {
    /// Proof bytes, decoded by the verifier, with the subject's claim and key.
    Bytes(Vec<u8>),
    /// A decoded proof with a swap applied, with the subject's claim and key.
    Swapped(Swap, Box<StarkProof>),
    /// A proof and claim against a key.
    Claim {
        machine: &'a RiscvMachine,
        proof: &'a [u8],
        exit_code: u32,
        public_output: Vec<u8>,
    },
}

fn forge<'a>(
    kind: Kind,
    me: &'a Subject,
    subjects: &'a [Subject],
    rng: &mut SplitMix64,
) -> Forgery<'a> {
    let claim = |machine, proof, exit_code, public_output| Forgery::Claim {
        machine,
        proof,
        exit_code,
        public_output,
    };
    let honest = |public_output| claim(&me.machine, &me.proof, me.exit_code, public_output);
    let others = |same_program: bool| -> Vec<&'a Subject> {
        subjects
            .iter()
            .filter(|s| {
                let same = s.elf == me.elf;
                same == same_program && (!same || s.public_output != me.public_output)
            })
            .collect()
    };
    match kind {
        Kind::Bytes(edit) => Forgery::Bytes(edit.apply(&me.proof, rng)),
        Kind::Swapped => swapped(me, rng),
        Kind::OtherProgram | Kind::OtherInput => {
            let candidates = others(kind == Kind::OtherInput);
            let Some(other) = candidates.get(rng.below(candidates.len().max(1))) else {
                // No such subject in this campaign: fall back to a changed output.
                return honest(changed_output(&me.public_output, rng));
            };
            let output = other.public_output.clone();
            if kind == Kind::OtherProgram {
                claim(&me.machine, &other.proof, other.exit_code, output)
            } else {
                claim(&me.machine, &me.proof, other.exit_code, output)
            }
        }
        Kind::ExitCode => {
            let code = match rng.below(3) {
                0 => me.exit_code ^ 1,
                1 => me.exit_code.wrapping_add(1 + rng.below(1000) as u32),
                _ => (rng.next_u64() as u32) | 0x100,
            };
            claim(&me.machine, &me.proof, code, me.public_output.clone())
        }
        Kind::PublicOutput => honest(changed_output(&me.public_output, rng)),
        Kind::VerifyingKey => {
            // Half the time another guest's key, else this program with one ELF byte changed.
            let foreign = others(false);
            let machine = match (rng.below(2), foreign.is_empty(), me.tweaked.is_empty()) {
                (0, false, _) | (_, false, true) => &foreign[rng.below(foreign.len())].machine,
                (_, _, false) => &me.tweaked[rng.below(me.tweaked.len())],
                (_, true, true) => return honest(changed_output(&me.public_output, rng)),
            };
            claim(machine, &me.proof, me.exit_code, me.public_output.clone())
        }
    }
}

/// The honest proof with a swap that changes its bytes (tries several).
fn swapped<'a>(me: &Subject, rng: &mut SplitMix64) -> Forgery<'a> {
    for _ in 0..64 {
        let swap = Swap::ALL[rng.below(Swap::ALL.len())];
        let Ok(mut proof) = StarkProof::from_bytes(&me.proof) else {
            break;
        };
        if swap.apply(&mut proof, rng) && proof.to_bytes().is_ok_and(|b| b != me.proof) {
            return Forgery::Swapped(swap, Box::new(proof));
        }
    }
    Forgery::Bytes(ByteEdit::SwapRanges.apply(&me.proof, rng))
}

/// `output` changed: a bit flipped, a byte added or removed, or emptied.
fn changed_output(output: &[u8], rng: &mut SplitMix64) -> Vec<u8> {
    let mut out = output.to_vec();
    match rng.below(4) {
        0 if !out.is_empty() => {
            let at = rng.below(out.len());
            out[at] ^= 1 << rng.below(8);
        }
        1 if !out.is_empty() => {
            out.pop();
        }
        2 if !out.is_empty() => out.clear(),
        _ => out.push(rng.next_u64() as u8),
    }
    out
}

/// Verifies a forgery; `Err` names the stage that rejected it.
fn verify(me: &Subject, forged: Forgery<'_>) -> Result<(), Stage> {
    let (machine, proof, exit_code, output) = match forged {
        Forgery::Bytes(bytes) => {
            let proof = StarkProof::from_bytes(&bytes).map_err(|_| Stage::Decode)?;
            (&me.machine, proof, me.exit_code, me.public_output.clone())
        }
        Forgery::Swapped(_, proof) => (&me.machine, *proof, me.exit_code, me.public_output.clone()),
        Forgery::Claim {
            machine,
            proof,
            exit_code,
            public_output,
        } => {
            let proof = StarkProof::from_bytes(proof).map_err(|_| Stage::Decode)?;
            (machine, proof, exit_code, public_output)
        }
    };
    machine
        .verify(&proof, exit_code, &output)
        .map_err(|e| match e {
            MachineError::Stark(StarkError::Rejected(_)) => Stage::Verifier,
            _ => Stage::Shape,
        })
}
