//! `cargo xtask bench prove`: each measurement runs in a child process (`prove-one`,
//! `keccak-one`) so its peak RSS is its own.

use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, ensure};
use geode_executor::{ExecOptions, Stdin, execute};
use geode_machine::RiscvMachine;
use geode_stark::reference::KeccakReference;
use geode_stark::{FastParams, StarkProof};
use p3_matrix::Matrix;
use serde::{Deserialize, Serialize};

use crate::run::load_program;

#[derive(Serialize, Deserialize, Debug)]
pub(crate) struct ProveSample {
    pub(crate) cycles: u64,
    pub(crate) trace_s: f64,
    pub(crate) prove_s: f64,
    /// Median of 3 checks with the shape's verifier key already derived (by the first check).
    pub(crate) verify_s: f64,
    /// The first check, which also derives the shape's verifier key (`RiscvMachine::verify`).
    #[serde(default)]
    pub(crate) verify_cold_s: f64,
    pub(crate) proof_bytes: usize,
    pub(crate) main_cells: u64,
    pub(crate) peak_rss_bytes: u64,
    pub(crate) security_bits: f64,
    /// keccak-f permutations proven (KECCAK_PERMUTE calls).
    #[serde(default)]
    pub(crate) permutations: usize,
}

#[derive(Serialize, Deserialize, Debug)]
pub(crate) struct KeccakSample {
    pub(crate) permutations: usize,
    pub(crate) cells: u64,
    pub(crate) prove_s: f64,
}

pub(crate) fn stdin_for(iterations: u32) -> anyhow::Result<Stdin> {
    let mut stdin = Stdin::new();
    stdin.write(&iterations)?;
    Ok(stdin)
}

/// Proves `guest` (`compute` for `bench prove`) on `stdin` once and prints a [`ProveSample`] as
/// JSON.
pub(crate) fn prove_one(guest: &str, stdin: &Stdin, breakdown: bool) -> anyhow::Result<ExitCode> {
    let (_, program) = load_program(guest)?;
    let machine = RiscvMachine::new(program);
    let start = Instant::now();
    let (out, record) = machine.execute(stdin)?;
    let traces = machine.generate_traces(&out, &record)?;
    let permutations = record.keccak.len();
    drop(record);
    let trace_s = start.elapsed().as_secs_f64();
    let main_cells = traces
        .traces
        .iter()
        .map(|t| (t.width() * t.height()) as u64)
        .sum();
    let proof = machine.prove_traces_owned(traces)?;
    let prove_s = start.elapsed().as_secs_f64();
    let bytes = proof.to_bytes()?;
    if breakdown {
        print_breakdown(&proof)?;
    }
    // A fresh machine, so the first check derives the shape's verifier key and the rest reuse it.
    let verifier = RiscvMachine::new(machine.program().clone());
    let mut verify_times = Vec::new();
    for _ in 0..4 {
        let start = Instant::now();
        let proof = StarkProof::from_bytes(&bytes)?;
        verifier.verify(&proof, out.exit_code, &out.public_output)?;
        verify_times.push(start.elapsed().as_secs_f64());
    }
    let verify_cold_s = verify_times.remove(0);
    verify_times.sort_by(f64::total_cmp);
    let sample = ProveSample {
        cycles: out.cycles,
        trace_s,
        prove_s,
        verify_s: verify_times[1],
        verify_cold_s,
        proof_bytes: bytes.len(),
        main_cells,
        peak_rss_bytes: crate::prove::peak_rss_bytes(),
        security_bits: machine.security(&proof)?.conjectured_bits,
        permutations,
    };
    println!("{}", serde_json::to_string(&sample)?);
    Ok(ExitCode::SUCCESS)
}

/// Proves `permutations` keccak-f permutations with p3-keccak-air and prints a [`KeccakSample`].
pub(crate) fn keccak_one(permutations: usize) -> anyhow::Result<ExitCode> {
    let config = FastParams::DEFAULT.config();
    let trace = KeccakReference::trace(permutations);
    let cells = (trace.width() * trace.height()) as u64;
    let start = Instant::now();
    let proof = geode_stark::prove(
        &config,
        &[KeccakReference],
        std::slice::from_ref(&trace),
        &[vec![]],
    )?;
    let prove_s = start.elapsed().as_secs_f64();
    geode_stark::verify(&config, &[KeccakReference], &proof, &[vec![]])?;
    println!(
        "{}",
        serde_json::to_string(&KeccakSample {
            permutations,
            cells,
            prove_s
        })?
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `xtask bench <args>` in a child process and parses the JSON it prints.
pub(crate) fn child<T: for<'de> Deserialize<'de>>(args: &[String]) -> anyhow::Result<T> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args(["bench"])
        .args(args)
        .output()
        .context("running a benchmark child")?;
    ensure!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

pub(crate) fn prove_sizes(
    sizes: &[u32],
    json: bool,
    svg: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    // Cycles per kernel iteration, from a quick fast-mode run.
    let (_, program) = load_program("compute")?;
    let probe = |n| {
        execute(&program, &stdin_for(n)?, &ExecOptions::default())
            .map(|o| o.cycles)
            .map_err(anyhow::Error::from)
    };
    let (c1, c2) = (probe(1000)?, probe(2000)?);
    let per_iteration = (c2 - c1) as f64 / 1000.0;
    let base = c1 as f64 - 1000.0 * per_iteration;

    // The reference: 2^16 keccak rows (2,633 columns each: larger references cost gigabytes
    // without changing the cells/s figure much).
    let max = 1u64 << 16;
    let keccak: KeccakSample = child(&[
        "keccak-one".into(),
        "--permutations".into(),
        (max as usize / 24).to_string(),
    ])?;
    let keccak_cells_per_s = keccak.cells as f64 / keccak.prove_s;

    let mut rows = Vec::new();
    for &log in sizes {
        let target = (1u64 << log) as f64 * 0.95; // leave room under the power of two
        let iterations = ((target - base) / per_iteration).max(1.0) as u32;
        let sample: ProveSample = child(&[
            "prove-one".into(),
            "--iterations".into(),
            iterations.to_string(),
        ])?;
        rows.push((log, sample));
    }
    let points: Vec<crate::plot::Point> = rows
        .iter()
        .map(|(_, s)| crate::plot::Point {
            cycles: s.cycles,
            prove_s: s.prove_s,
            peak_rss_mib: s.peak_rss_bytes as f64 / (1 << 20) as f64,
        })
        .collect();
    if let Some(path) = svg {
        let chart = crate::plot::prove_chart(&points, "Geode: proving time and peak memory");
        std::fs::write(path, chart).with_context(|| format!("writing {}", path.display()))?;
    }
    if json {
        let report = serde_json::json!({
            "keccak_reference": { "permutations": keccak.permutations, "cells": keccak.cells, "prove_s": keccak.prove_s, "cells_per_s": keccak_cells_per_s },
            "machine": rows.iter().map(|(log, s)| serde_json::json!({
                "log_target": log, "cycles": s.cycles, "prove_s": s.prove_s, "trace_s": s.trace_s,
                "khz": s.cycles as f64 / s.prove_s / 1e3, "peak_rss_bytes": s.peak_rss_bytes,
                "rss_bytes_per_cycle": s.peak_rss_bytes as f64 / s.cycles as f64,
                "proof_bytes": s.proof_bytes, "verify_s": s.verify_s, "verify_cold_s": s.verify_cold_s,
                "main_cells_per_cycle": s.main_cells as f64 / s.cycles as f64,
                "cells_per_s": s.main_cells as f64 / s.prove_s,
                "vs_keccak_cells_per_s": s.main_cells as f64 / s.prove_s / keccak_cells_per_s,
                "security_bits": s.security_bits,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "reference: p3-keccak-air, {} permutations, {} cells, {:.2} s = {:.2} M cells/s",
        keccak.permutations,
        keccak.cells,
        keccak.prove_s,
        keccak_cells_per_s / 1e6
    );
    println!(
        "{:>8} {:>9} {:>8} {:>9} {:>10} {:>9} {:>9} {:>9} {:>10} {:>9} {:>7}",
        "cycles",
        "prove s",
        "kHz",
        "RSS MiB",
        "B/cycle",
        "proof KB",
        "verify ms",
        "cold ms",
        "cells/cyc",
        "vs keccak",
        "bits"
    );
    for (_, s) in &rows {
        println!(
            "{:>8} {:>9.2} {:>8.1} {:>9.1} {:>10.0} {:>9.1} {:>9.1} {:>9.1} {:>10.1} {:>9.2} {:>7.1}",
            s.cycles,
            s.prove_s,
            s.cycles as f64 / s.prove_s / 1e3,
            s.peak_rss_bytes as f64 / (1 << 20) as f64,
            s.peak_rss_bytes as f64 / s.cycles as f64,
            s.proof_bytes as f64 / 1e3,
            s.verify_s * 1e3,
            s.verify_cold_s * 1e3,
            s.main_cells as f64 / s.cycles as f64,
            s.main_cells as f64 / s.prove_s / keccak_cells_per_s,
            s.security_bits,
        );
    }
    println!(
        "budgets at 2^20: >= 100 kHz, <= 1024 B/cycle, verify <= 100 ms, proof <= 1.5 MB \
         (verify: with the shape's verifier key; cold: the first check, which derives it)"
    );
    Ok(ExitCode::SUCCESS)
}

/// Each chip's shape and the bytes one FRI query opens of it, then the proof's bytes by part.
fn print_breakdown(proof: &StarkProof) -> anyhow::Result<()> {
    eprintln!("chip                      log_h  main  prep       perm       quot  B/query");
    let mut per_query = 0;
    for ((name, bits), opened) in proof
        .chips
        .iter()
        .zip(proof.log_heights())
        .zip(&proof.inner.opened_values.instances)
    {
        let base = &opened.base_opened_values;
        let main = base.trace_local.len();
        let prep = base.preprocessed.as_ref().map_or(0, |p| p.local.len());
        let perm = opened.permutation_local.len();
        let quot: usize = base.quotient_chunks.iter().map(Vec::len).sum();
        // Every count is of base columns (an extension column opens as its 4), 4 bytes each.
        let bytes = 4 * (main + prep + perm + quot);
        per_query += bytes;
        eprintln!("{name:<25} {bits:>5} {main:>5} {prep:>5} {perm:>10} {quot:>10} {bytes:>8}");
    }
    eprintln!("opened per query: {per_query} B");
    for (part, bytes) in proof.size_breakdown()? {
        eprintln!("{part:<40} {bytes:>10}");
    }
    Ok(())
}
