//! `cargo xtask prove <program> --wrap`: the run's STARK under the wrap configuration, then
//! the Halo2 SNARK that verifies it, then the SNARK checked as a verifier would.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use geode_executor::{ExecutionOutput, ExecutionRecord};
use geode_machine::RiscvMachine;
use geode_sdk::{
    BackendId, Claim, ENVELOPE_VERSION, GeodeProof, ProofSystem, ProverClient, PublicValues,
    WrapBackend,
};
use serde::Serialize;

use crate::progress::Phases;
use crate::prove::peak_rss_bytes;
use crate::run::hex;

#[derive(Serialize)]
struct WrapReport<'a> {
    program: &'a str,
    exit_code: u32,
    cycles: u64,
    output_hex: String,
    /// Proving the STARK under the wrap configuration.
    prove_s: f64,
    stark_bytes: usize,
    /// Keys, the native check of the STARK, the circuit and the SNARK.
    wrap_s: f64,
    keygen_s: f64,
    k: u32,
    /// The serialized `SnarkProof`: the halo2 proof and its public inputs.
    snark_bytes: usize,
    /// `ProverClient::verify` of the envelope: the statement (the program's preprocessed
    /// commitment under the wrap configuration), the keys, the SNARK.
    verify_s: f64,
    /// Loading the SNARK's verifying key and parameters from the cache.
    vk_load_s: f64,
    /// The SNARK's verification alone, keys in hand.
    snark_verify_s: f64,
    /// The process's peak RSS, which the wrap step sets.
    wrap_peak_rss_bytes: u64,
}

/// Proves and wraps; `phases` has already shown the execution.
pub(crate) fn prove_wrapped(
    program: &str,
    machine: &RiscvMachine,
    out: &ExecutionOutput,
    record: &ExecutionRecord,
    phases: Phases,
    json: bool,
    path: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    phases.begin("proving the STARK under the wrap configuration (Poseidon over Pallas)");
    let start = Instant::now();
    let stark = WrapBackend::prove_stark(machine, out, record)?;
    let prove_s = start.elapsed().as_secs_f64();
    let stark_bytes = stark.to_bytes()?.len();
    phases.done(&format!("proved the STARK ({stark_bytes} bytes)"));

    let claim = Claim {
        exit_code: out.exit_code,
        public_values: &out.public_output,
    };
    phases.begin("deriving the SNARK's keys");
    let wrap_start = Instant::now();
    let (wrapper, public_values) =
        WrapBackend::wrapper(machine, &stark.chips, stark.log_heights(), claim)?;
    let keys = wrapper.keys()?;
    let keygen_s = wrap_start.elapsed().as_secs_f64();
    let k = keys.params.k();
    phases.done(&format!("derived the keys (k = {k})"));
    phases.begin("wrapping: checking the STARK in the circuit, proving the SNARK");
    let snark = wrapper.prove(&keys, &stark, &public_values)?;
    let wrap_s = wrap_start.elapsed().as_secs_f64();
    let wrap_peak_rss_bytes = peak_rss_bytes();
    drop(keys);
    let wrapped = geode_sdk::WrappedProof {
        chips: stark.chips.clone(),
        log_heights: stark.log_heights().to_vec(),
        snark,
    };
    let (_, vk) = ProverClient::new().setup(machine.program())?;
    let envelope = GeodeProof {
        version: ENVELOPE_VERSION,
        backend: BackendId::Halo2,
        exit_code: out.exit_code,
        public_values: PublicValues::from_bytes(out.public_output.clone()),
        vk_digest: vk.digest(),
        payload: WrapBackend.encode(&wrapped)?,
    };
    let snark_bytes = wrapped.snark.to_bytes()?.len();
    phases.done(&format!("wrapped: a {snark_bytes}-byte SNARK"));

    phases.begin("verifying the SNARK (its verifying key from the cache)");
    let load_start = Instant::now();
    let verifier = wrapper.verifier()?;
    let vk_load_s = load_start.elapsed().as_secs_f64();
    let snark_start = Instant::now();
    wrapper.verify(&verifier, &wrapped.snark, &public_values)?;
    let snark_verify_s = snark_start.elapsed().as_secs_f64();
    drop(verifier);
    let verify_start = Instant::now();
    ProverClient::new()
        .verify(&envelope, &vk)
        .context("the new SNARK does not verify")?;
    let verify_s = verify_start.elapsed().as_secs_f64();
    phases.done(&format!("verified in {verify_s:.2} s"));
    if let Some(path) = path {
        envelope
            .save(path)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let report = WrapReport {
        program,
        exit_code: out.exit_code,
        cycles: out.cycles,
        output_hex: hex(&out.public_output),
        prove_s,
        stark_bytes,
        wrap_s,
        keygen_s,
        k,
        snark_bytes,
        verify_s,
        vk_load_s,
        snark_verify_s,
        wrap_peak_rss_bytes,
    };
    drop(phases);
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("program      {}", report.program);
        println!("exit code    {}", report.exit_code);
        println!("cycles       {}", report.cycles);
        println!(
            "STARK        {:.2} s, {} bytes (wrap configuration)",
            prove_s, stark_bytes
        );
        println!("wrapped in   {wrap_s:.2} s (keys {keygen_s:.2} s), k = {k}");
        println!(
            "SNARK        {snark_bytes} bytes{}",
            path.map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default()
        );
        println!(
            "verified in  {verify_s:.2} s (the SNARK alone {snark_verify_s:.3} s, its keys loaded in {vk_load_s:.2} s)"
        );
        println!(
            "peak RSS     {:.1} MiB",
            wrap_peak_rss_bytes as f64 / (1 << 20) as f64
        );
    }
    Ok(ExitCode::SUCCESS)
}
