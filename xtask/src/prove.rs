//! `cargo xtask prove` and `cargo xtask verify`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use geode_machine::RiscvMachine;
use geode_sdk::{BackendId, ENVELOPE_VERSION, GeodeProof, ProverClient, PublicValues};
use serde::Serialize;

use crate::progress::Phases;
use crate::run::{InputArgs, hex, load_program};

#[derive(Args, Debug)]
pub(crate) struct ProveArgs {
    /// A guest name from guest-programs/, a guest crate's directory (built if needed) or the
    /// path of an RV32IM ELF.
    program: String,
    #[command(flatten)]
    input: InputArgs,
    /// Where to write the proof.
    #[arg(long, value_name = "PROOF")]
    out: Option<PathBuf>,
    /// Print one JSON object instead of human output.
    #[arg(long)]
    json: bool,
    /// Also wrap the STARK into a Halo2 SNARK (the STARK is then proven under the wrap
    /// configuration); `--out` gets the SNARK.
    #[arg(long)]
    wrap: bool,
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// A proof written by `cargo xtask prove --out` or by `geode_sdk::GeodeProof::save`.
    proof: PathBuf,
    /// The program the proof claims to be a run of (guest name, crate directory or ELF path).
    #[arg(long)]
    program: String,
    /// Print one JSON object instead of human output.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct ProveReport<'a> {
    program: &'a str,
    exit_code: u32,
    cycles: u64,
    output_hex: String,
    prove_s: f64,
    verify_s: f64,
    khz: f64,
    proof_bytes: usize,
    security_bits: f64,
    chip_heights: BTreeMap<String, usize>,
    peak_rss_bytes: u64,
}

pub(crate) fn prove(args: &ProveArgs) -> anyhow::Result<ExitCode> {
    let phases = Phases::new(args.json);
    phases.begin(&format!("building {}", args.program));
    let (_, program) = load_program(&args.program)?;
    let stdin = args.input.stdin()?;
    let machine = RiscvMachine::new(program);
    let start = phases.elapsed_s();
    phases.begin("executing");
    let (out, record) = machine.execute(&stdin)?;
    phases.done(&format!("executed {} cycles", out.cycles));
    if args.wrap {
        return crate::prove_wrap::prove_wrapped(
            &args.program,
            &machine,
            &out,
            &record,
            phases,
            args.json,
            args.out.as_deref(),
        );
    }
    phases.begin("generating traces");
    let traces = machine.generate_traces(&out, &record)?;
    drop(record);
    phases.done(&format!(
        "generated the traces of {} chips",
        traces.chips.len()
    ));
    phases.begin("proving: committing traces, quotient, FRI");
    let proof = machine.prove_traces_owned(traces)?;
    let prove_s = phases.elapsed_s() - start;
    phases.done("proved");
    let chip_heights = proof
        .chips
        .iter()
        .cloned()
        .zip(proof.log_heights().iter().map(|b| 1usize << b))
        .collect();
    // Check the proof as a verifier would, so one command proves and verifies.
    phases.begin("verifying");
    let verify_start = Instant::now();
    machine
        .verify(&proof, out.exit_code, &out.public_output)
        .context("the new proof does not verify")?;
    let verify_s = verify_start.elapsed().as_secs_f64();
    phases.done(&format!("verified in {:.0} ms", verify_s * 1e3));
    let security = machine.security(&proof)?;
    // The SDK's envelope (`geode_sdk::GeodeProof`), so host programs read what this writes.
    let (_, vk) = ProverClient::new().setup(machine.program())?;
    let envelope = GeodeProof {
        version: ENVELOPE_VERSION,
        backend: BackendId::Stark,
        exit_code: out.exit_code,
        public_values: PublicValues::from_bytes(out.public_output.clone()),
        vk_digest: vk.digest(),
        payload: proof.to_bytes()?,
    };
    if let Some(path) = &args.out {
        envelope
            .save(path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let report = ProveReport {
        program: &args.program,
        exit_code: out.exit_code,
        cycles: out.cycles,
        output_hex: hex(&out.public_output),
        prove_s,
        verify_s,
        khz: out.cycles as f64 / prove_s / 1e3,
        proof_bytes: envelope.payload.len(),
        security_bits: security.conjectured_bits,
        chip_heights,
        peak_rss_bytes: peak_rss_bytes(),
    };
    drop(phases);
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("program      {}", report.program);
        println!("exit code    {}", report.exit_code);
        println!("cycles       {}", report.cycles);
        println!(
            "proved in    {:.2} s ({:.1} kHz)",
            report.prove_s, report.khz
        );
        println!(
            "proof        {} bytes{}",
            report.proof_bytes,
            args.out
                .as_ref()
                .map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default()
        );
        println!("{security}");
        println!(
            "peak RSS     {:.1} MiB",
            report.peak_rss_bytes as f64 / (1 << 20) as f64
        );
        println!(
            "chips        {}",
            report
                .chip_heights
                .iter()
                .map(|(n, h)| format!("{n}:{h}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn verify(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let (_, program) = load_program(&args.program)?;
    let proof = GeodeProof::load(&args.proof)
        .with_context(|| format!("reading {}", args.proof.display()))?;
    let start = Instant::now();
    let client = ProverClient::new();
    let outcome = client
        .setup(&program)
        .and_then(|(_, vk)| client.verify(&proof, &vk));
    let verify_s = start.elapsed().as_secs_f64();
    let ok = outcome.is_ok();
    let output_hex = hex(proof.public_values.as_bytes());
    if args.json {
        let error = outcome.as_ref().err().map(ToString::to_string);
        let report = serde_json::json!({
            "ok": ok, "verify_s": verify_s, "exit_code": proof.exit_code,
            "backend": proof.backend.to_string(), "output_hex": output_hex, "error": error,
        });
        println!("{report}");
    } else {
        match &outcome {
            Ok(()) => println!(
                "proof verified in {verify_s:.3} s: exit code {}, output {output_hex}",
                proof.exit_code
            ),
            Err(e) => println!("proof REJECTED: {e}"),
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The process's peak resident set size (Linux `VmHWM`; 0 where unavailable).
pub(crate) fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}
