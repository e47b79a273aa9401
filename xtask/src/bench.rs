//! `cargo xtask bench`: throughput figures, each against a reference measured in the same run.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use clap::Subcommand;
use geode_executor::{ExecOptions, Stdin, execute, execute_recorded_chunks};
use serde::Serialize;

#[path = "../../guest-programs/compute/src/kernel.rs"]
mod kernel;

#[derive(Subcommand, Debug)]
pub(crate) enum BenchCommand {
    /// Proving throughput, peak RSS, proof size and verify time at several sizes, against
    /// p3-keccak-air proven with the same configuration in the same run.
    Prove {
        /// log2 of the target cycle counts.
        #[arg(long, value_delimiter = ',', default_values_t = [16, 18, 20])]
        sizes: Vec<u32>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Where to write the chart of proving time and peak memory against cycles (SVG).
        #[arg(long, value_name = "FILE", default_value = "target/bench-prove.svg")]
        svg: std::path::PathBuf,
    },
    /// One proof of a guest, in this process (what `bench prove` runs per size).
    #[command(hide = true)]
    ProveOne {
        #[arg(long, default_value = "compute")]
        guest: String,
        /// The guest's input: one `u32` frame.
        #[arg(long, required_unless_present = "input")]
        iterations: Option<u32>,
        /// The guest's input: a file of raw input-stream bytes.
        #[arg(long)]
        input: Option<std::path::PathBuf>,
        /// Also print, on stderr, each chip's shape and where the proof's bytes go.
        #[arg(long)]
        breakdown: bool,
        /// Also print, on stderr, the time of each Plonky3 prover span as it closes.
        #[arg(long)]
        spans: bool,
    },
    /// secp256k1 ECDSA: RISC-V cycles and proving time per verification through the precompiles
    /// against k256 compiled into the guest, in one run.
    Ecdsa {
        /// Signatures verified in the proven run.
        #[arg(long, default_value_t = 8)]
        signatures: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// The keccak precompile: raw p3-keccak-air permutations/s, permutations/s proven through
    /// KECCAK_PERMUTE in the same run, and RISC-V cycles per keccak-f with and without it.
    Keccak {
        /// Hashes in the proven `keccak-chain` run (and permutations in the reference).
        #[arg(long, default_value_t = 2048)]
        permutations: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// One proof of `n` keccak-f permutations with p3-keccak-air (the reference).
    #[command(hide = true)]
    KeccakOne {
        #[arg(long)]
        permutations: usize,
    },
    /// The wrap circuit's size, by stage, for each program's STARK shape (its chips and
    /// heights, taken from the traces without proving): how the circuit scales with the shape.
    /// `cargo xtask prove <program> --wrap --json` times the whole pipeline for one program.
    Wrap {
        /// Guests to size (run on empty input).
        #[arg(long, value_delimiter = ',', default_values_t = ["hello".to_owned(), "fibonacci".to_owned(), "keccak".to_owned(), "ecdsa".to_owned()])]
        programs: Vec<String>,
        /// Print one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Executor instructions/s in fast and recording modes, against native Rust.
    Executor {
        /// Kernel iterations (about 27 guest instructions each).
        #[arg(long, default_value_t = 3_500_000)]
        iterations: u32,
        /// Timed runs per mode; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct ExecutorReport {
    guest: &'static str,
    iterations: u32,
    instructions: u64,
    runs: usize,
    native_median_s: f64,
    fast_median_s: f64,
    recording_median_s: f64,
    fast_mips: f64,
    recording_mips: f64,
    fast_slowdown_vs_native: f64,
    recording_slowdown_vs_native: f64,
    recording_chunk_cycles: usize,
}

/// Events are handed over (and dropped) in chunks of this many cycles, as a prover streaming
/// them into trace generation would.
const CHUNK_CYCLES: usize = 1 << 20;

pub(crate) fn bench(cmd: &BenchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Executor {
            iterations,
            runs,
            json,
        } => executor(*iterations, (*runs).max(1), *json),
        BenchCommand::Prove { sizes, json, svg } => {
            crate::bench_prove::prove_sizes(sizes, *json, Some(svg))
        }
        BenchCommand::ProveOne {
            guest,
            iterations,
            input,
            breakdown,
            spans,
        } => {
            if *spans {
                tracing_subscriber::fmt()
                    .with_writer(std::io::stderr)
                    .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
                    .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
                    .init();
            }
            let stdin = match (iterations, input) {
                (_, Some(path)) => Stdin::from_raw(
                    std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
                ),
                (Some(n), None) => crate::bench_prove::stdin_for(*n)?,
                (None, None) => anyhow::bail!("give --iterations or --input"),
            };
            crate::bench_prove::prove_one(guest, &stdin, *breakdown)
        }
        BenchCommand::Ecdsa { signatures, json } => {
            crate::bench_ecdsa::ecdsa((*signatures).max(1), *json)
        }
        BenchCommand::Keccak { permutations, json } => {
            crate::bench_keccak::keccak(*permutations, *json)
        }
        BenchCommand::KeccakOne { permutations } => crate::bench_prove::keccak_one(*permutations),
        BenchCommand::Wrap { programs, json } => crate::bench_wrap::wrap_shapes(programs, *json),
    }
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64()
}

fn executor(iterations: u32, runs: usize, json: bool) -> anyhow::Result<ExitCode> {
    let (_, program) = crate::run::load_program("compute")?;
    let mut stdin = Stdin::new();
    stdin.write(&iterations)?;
    let opts = ExecOptions::default();

    let mut native_times = Vec::new();
    let mut native_checksum = 0;
    for _ in 0..runs {
        let mut table = Box::new([0u32; kernel::WORDS]);
        let start = Instant::now();
        native_checksum = kernel::run(
            std::hint::black_box(iterations),
            std::hint::black_box(&mut table),
        );
        native_times.push(start.elapsed());
    }

    let mut fast_times = Vec::new();
    let mut cycles = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let out = execute(&program, &stdin, &opts).context("fast run")?;
        fast_times.push(start.elapsed());
        let mut values = out.public_values();
        let (n, checksum): (u32, u32) = (values.read()?, values.read()?);
        ensure!(
            n == iterations && checksum == native_checksum,
            "guest checksum differs from native"
        );
        cycles = out.cycles;
    }

    let mut recording_times = Vec::new();
    for _ in 0..runs {
        let mut events = 0usize;
        let start = Instant::now();
        let out = execute_recorded_chunks(&program, &stdin, &opts, CHUNK_CYCLES, |chunk| {
            events += chunk.cpu.len();
        })
        .context("recording run")?;
        recording_times.push(start.elapsed());
        ensure!(
            events as u64 == out.cycles && out.cycles == cycles,
            "recording saw a different run"
        );
    }

    let (native, fast, recording) = (
        median(native_times),
        median(fast_times),
        median(recording_times),
    );
    let report = ExecutorReport {
        guest: "compute",
        iterations,
        instructions: cycles,
        runs,
        native_median_s: native,
        fast_median_s: fast,
        recording_median_s: recording,
        fast_mips: cycles as f64 / fast / 1e6,
        recording_mips: cycles as f64 / recording / 1e6,
        fast_slowdown_vs_native: fast / native,
        recording_slowdown_vs_native: recording / native,
        recording_chunk_cycles: CHUNK_CYCLES,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "executor benchmark: guest `compute`, {iterations} iterations, {cycles} instructions, median of {runs}"
        );
        println!("  native Rust        {:>8.3} s", native);
        println!(
            "  fast mode          {:>8.3} s  {:>7.1} M instr/s  {:>5.1}x native",
            fast, report.fast_mips, report.fast_slowdown_vs_native
        );
        println!(
            "  recording mode     {:>8.3} s  {:>7.1} M instr/s  {:>5.1}x native",
            recording, report.recording_mips, report.recording_slowdown_vs_native
        );
        println!("  budgets: fast >= 200 M instr/s, recording >= 40 M instr/s");
    }
    Ok(ExitCode::SUCCESS)
}
