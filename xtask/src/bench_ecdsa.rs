//! `cargo xtask bench ecdsa`: secp256k1 ECDSA verification through the curve and mulmod
//! precompiles (`ecdsa`) against k256 compiled into the guest (`ecdsa-sw`), in one run.

use std::process::ExitCode;

use geode_executor::{ExecOptions, Stdin, execute, keccak256};
use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey};

use crate::bench_prove::{ProveSample, child};
use crate::run::load_program;

/// The guests' input: (SEC1 public key, prehash, r, s), big-endian.
type Input = Vec<(Vec<u8>, [u8; 32], [u8; 32], [u8; 32])>;

/// `n` valid signatures under `n` keys (half compressed, half uncompressed public keys), from
/// fixed seeds so every run verifies the same work.
fn signatures(n: usize) -> anyhow::Result<Input> {
    (0..n)
        .map(|i| {
            let mut seed = keccak256(format!("geode bench key {i}").as_bytes());
            seed[0] &= 0x7f; // below the group order
            let key = SigningKey::from_slice(&seed).map_err(|e| anyhow::anyhow!("key: {e}"))?;
            let prehash = keccak256(format!("geode bench message {i}").as_bytes());
            let signature: Signature = key
                .sign_prehash(&prehash)
                .map_err(|e| anyhow::anyhow!("signing: {e}"))?;
            let (r, s) = signature.split_bytes();
            let public = key.verifying_key().to_encoded_point(i % 2 == 0);
            Ok((public.as_bytes().to_vec(), prehash, r.into(), s.into()))
        })
        .collect()
}

fn stdin_of(input: &Input) -> anyhow::Result<Stdin> {
    let mut stdin = Stdin::new();
    stdin.write(input)?;
    Ok(stdin)
}

/// Fast-mode cycles of `guest` verifying `input`; checks every signature verified.
fn cycles(guest: &str, input: &Input) -> anyhow::Result<u64> {
    let (_, program) = load_program(guest)?;
    let options = ExecOptions {
        max_cycles: u64::MAX,
        ..ExecOptions::default()
    };
    let out = execute(&program, &stdin_of(input)?, &options)?;
    let results: Vec<bool> = postcard::from_bytes(&out.public_output)?;
    anyhow::ensure!(
        results.len() == input.len() && results.iter().all(|&ok| ok),
        "{guest} rejected a valid signature"
    );
    Ok(out.cycles)
}

/// Cycles per verification: the difference between `2n` and `n` signatures, over `n`.
fn cycles_per_verification(guest: &str, all: &Input, n: usize) -> anyhow::Result<f64> {
    let (one, two) = (cycles(guest, &all[..n].to_vec())?, cycles(guest, all)?);
    Ok((two - one) as f64 / n as f64)
}

pub(crate) fn ecdsa(n: usize, json: bool) -> anyhow::Result<ExitCode> {
    let all = signatures(2 * n)?;
    let precompile = cycles_per_verification("ecdsa", &all, n)?;
    let software = cycles_per_verification("ecdsa-sw", &all[..2].to_vec(), 1)?;

    let prove = |count: usize| -> anyhow::Result<ProveSample> {
        let path = std::env::temp_dir().join(format!("geode-bench-ecdsa-{count}.bin"));
        std::fs::write(&path, stdin_of(&all[..count].to_vec())?.as_bytes())?;
        let sample = child(&[
            "prove-one".into(),
            "--guest".into(),
            "ecdsa".into(),
            "--input".into(),
            path.display().to_string(),
        ]);
        std::fs::remove_file(&path)?;
        sample
    };
    let small = prove(n)?;
    let large = prove(2 * n)?;
    let marginal_s = (large.prove_s - small.prove_s) / n as f64;
    // The software variant runs past one proof's cycle limit (2^22) per signature, so its proving
    // time is estimated from the precompile run's own throughput on ordinary RISC-V code: the
    // compute guest proven at about the same height, in this run.
    let reference: ProveSample = child(&[
        "prove-one".into(),
        "--iterations".into(),
        (large.cycles / 28).to_string(),
    ])?;
    let reference_hz = reference.cycles as f64 / reference.prove_s;
    let software_s = software / reference_hz;

    if json {
        let sample = |s: &ProveSample, count: usize| serde_json::json!({ "signatures": count, "cycles": s.cycles, "prove_s": s.prove_s, "proof_bytes": s.proof_bytes, "verify_s": s.verify_s, "peak_rss_bytes": s.peak_rss_bytes, "security_bits": s.security_bits });
        let report = serde_json::json!({
            "cycles_per_verification": { "precompile": precompile, "software": software, "ratio": software / precompile },
            "proven": [sample(&small, n), sample(&large, 2 * n)],
            "prove_s_per_verification": { "precompile_marginal": marginal_s, "precompile_average": large.prove_s / (2 * n) as f64, "software_estimated": software_s },
            "reference_compute": { "cycles": reference.cycles, "prove_s": reference.prove_s, "hz": reference_hz },
        });
        println!("{report}");
    } else {
        println!(
            "RISC-V cycles per verification: precompiles {precompile:.0}, k256 in the guest \
             {software:.0}: {:.0}x fewer (budget >= 20x)",
            software / precompile
        );
        for (count, s) in [(n, &small), (2 * n, &large)] {
            println!(
                "proven: {count} verifications, {} cycles in {:.2} s; proof {} KB, verify {:.0} ms, \
                 peak RSS {} MiB, {:.1} bits",
                s.cycles,
                s.prove_s,
                s.proof_bytes / 1000,
                s.verify_s * 1000.0,
                s.peak_rss_bytes >> 20,
                s.security_bits
            );
        }
        println!(
            "proving time per verification: precompiles {marginal_s:.3} s marginal ({:.3} s \
             average); software estimated {software_s:.1} s ({:.0}x), from the compute guest's \
             {:.1} kHz at {} cycles in this run",
            large.prove_s / (2 * n) as f64,
            software_s / marginal_s,
            reference_hz / 1000.0,
            reference.cycles
        );
    }
    Ok(ExitCode::SUCCESS)
}
