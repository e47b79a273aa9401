//! `cargo xtask malleability`: proves a few guests once, then makes many mutated verification
//! attempts against those proofs (`geode_tests::malleability`) and reports how each kind was
//! rejected. Fails if any attempt is accepted or panics.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use geode_executor::Stdin;
use geode_tests::malleability::{self, Stage, Subject};

#[derive(Args, Debug)]
pub(crate) struct MalleabilityArgs {
    /// Mutated verification attempts to make.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Seed of the campaign; attempt k is determined by the seed and k.
    #[arg(long, default_value_t = 0x6e0d_e5ee)]
    seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print one JSON object instead of human output.
    #[arg(long)]
    json: bool,
}

/// Verifying keys derived from one-byte ELF variants, per subject.
const TWEAKED_KEYS: usize = 8;

const STAGES: [Stage; 6] = [
    Stage::Decode,
    Stage::Shape,
    Stage::Verifier,
    Stage::VerifierPanic,
    Stage::Accepted,
    Stage::Panicked,
];

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Decode => "decode",
        Stage::Shape => "shape",
        Stage::Verifier => "verifier",
        Stage::VerifierPanic => "verifier_panic",
        Stage::Accepted => "accepted",
        Stage::Panicked => "panicked",
    }
}

fn subjects(quiet: bool) -> anyhow::Result<Vec<Subject>> {
    let guests = geode_build::build_guests()?;
    let elf = |name: &str| -> anyhow::Result<Vec<u8>> {
        let guest = guests
            .iter()
            .find(|g| g.name == name)
            .with_context(|| format!("no guest {name}"))?;
        std::fs::read(&guest.path).with_context(|| format!("reading {}", guest.path.display()))
    };
    let fib = |n: u32| -> anyhow::Result<Stdin> {
        let mut stdin = Stdin::new();
        stdin.write(&n)?;
        Ok(stdin)
    };
    let mut keccak_input = Stdin::new();
    keccak_input.write_slice(&b"geode malleability ".repeat(20))?;
    let fibonacci = elf("fibonacci")?;
    let plan = [
        ("hello", elf("hello")?, Stdin::new()),
        ("fibonacci(20)", fibonacci.clone(), fib(20)?),
        ("fibonacci(30)", fibonacci, fib(30)?),
        ("keccak(380 bytes)", elf("keccak")?, keccak_input),
    ];
    let mut subjects = Vec::new();
    for (seed, (label, bytes, stdin)) in (1..).zip(plan) {
        let start = Instant::now();
        let subject = Subject::prove(label, &bytes, &stdin, TWEAKED_KEYS, seed)
            .with_context(|| format!("proving {label}"))?;
        if !quiet {
            eprintln!(
                "proved {label} in {:.1} s ({} proof bytes)",
                start.elapsed().as_secs_f64(),
                subject.proof_bytes().len()
            );
        }
        subjects.push(subject);
    }
    Ok(subjects)
}

pub(crate) fn malleability(args: &MalleabilityArgs) -> anyhow::Result<ExitCode> {
    let subjects = subjects(args.json)?;
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    if !args.json {
        eprintln!(
            "{} attempts on {threads} threads (seed {:#x})...",
            args.count, args.seed
        );
    }
    let report = malleability::run(&subjects, args.count, args.seed, threads);
    let total = |stage| report.count(stage);
    if args.json {
        let kinds: serde_json::Map<String, serde_json::Value> = report
            .kinds
            .iter()
            .map(|(name, k)| {
                let mut o = serde_json::Map::new();
                o.insert("attempts".into(), k.attempts.into());
                for stage in STAGES {
                    let n = k.stages.get(&stage).copied().unwrap_or(0);
                    o.insert(stage_name(stage).into(), n.into());
                }
                o.insert("verify_s".into(), k.time.as_secs_f64().into());
                (name.clone(), o.into())
            })
            .collect();
        let summary = serde_json::json!({
            "subjects": subjects.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
            "seed": args.seed, "threads": threads,
            "attempts": report.attempts(), "rejected": report.rejected(),
            "accepted": total(Stage::Accepted), "panics": total(Stage::Panicked),
            "verifier_panics_caught": total(Stage::VerifierPanic),
            "elapsed_s": report.elapsed.as_secs_f64(), "kinds": kinds,
            "failures": report.failures,
        });
        println!("{summary}");
    } else {
        println!(
            "{:<34} {:>8} {:>7} {:>6} {:>8} {:>6} {:>8} {:>8} {:>8}",
            "kind",
            "attempts",
            "decode",
            "shape",
            "verifier",
            "v-panic",
            "accepted",
            "panicked",
            "mean ms"
        );
        for (name, k) in &report.kinds {
            let n = |stage| k.stages.get(&stage).copied().unwrap_or(0);
            println!(
                "{name:<34} {:>8} {:>7} {:>6} {:>8} {:>6} {:>8} {:>8} {:>8.1}",
                k.attempts,
                n(Stage::Decode),
                n(Stage::Shape),
                n(Stage::Verifier),
                n(Stage::VerifierPanic),
                n(Stage::Accepted),
                n(Stage::Panicked),
                k.time.as_secs_f64() * 1e3 / k.attempts.max(1) as f64
            );
        }
        println!(
            "{} attempts: {} rejected ({} after a caught verifier panic), {} accepted, {} panics; \
             {:.1} s on {threads} threads",
            report.attempts(),
            report.rejected(),
            total(Stage::VerifierPanic),
            total(Stage::Accepted),
            total(Stage::Panicked),
            report.elapsed.as_secs_f64()
        );
        for failure in &report.failures {
            println!("FAILED {failure}");
        }
    }
    if !report.failures.is_empty() {
        bail!(
            "{} of {} attempts were accepted or panicked",
            report.failures.len(),
            report.attempts()
        );
    }
    Ok(ExitCode::SUCCESS)
}
