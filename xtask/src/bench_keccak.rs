//! `cargo xtask bench keccak`: the precompile against raw p3-keccak-air (proven with the same
//! configuration in the same run) and against keccak in software.

use std::process::ExitCode;

use geode_executor::{ExecOptions, Stdin, execute};

use crate::bench_prove::{KeccakSample, ProveSample, child};
use crate::run::load_program;

/// Fast-mode cycles of `guest` hashing a chain of `n`.
fn cycles(guest: &str, n: u32) -> anyhow::Result<u64> {
    let (_, program) = load_program(guest)?;
    let mut stdin = Stdin::new();
    stdin.write(&n)?;
    Ok(execute(&program, &stdin, &ExecOptions::default())?.cycles)
}

/// Cycles per hash of `guest`: the difference between chains of 200 and 100, over 100.
fn cycles_per_hash(guest: &str) -> anyhow::Result<f64> {
    Ok((cycles(guest, 200)? - cycles(guest, 100)?) as f64 / 100.0)
}

pub(crate) fn keccak(permutations: usize, json: bool) -> anyhow::Result<ExitCode> {
    let reference: KeccakSample = child(&[
        "keccak-one".into(),
        "--permutations".into(),
        permutations.to_string(),
    ])?;
    let prove = |guest: &str| -> anyhow::Result<ProveSample> {
        child(&[
            "prove-one".into(),
            "--guest".into(),
            guest.into(),
            "--iterations".into(),
            permutations.to_string(),
        ])
    };
    let loop_ = prove("keccak-permute")?;
    let chain = prove("keccak-chain")?;
    let raw_per_s = reference.permutations as f64 / reference.prove_s;
    let geode_per_s = loop_.permutations as f64 / loop_.prove_s;
    let chain_per_s = chain.permutations as f64 / chain.prove_s;
    let precompile = cycles_per_hash("keccak-chain")?;
    let software = cycles_per_hash("keccak-chain-sw")?;
    if json {
        let report = serde_json::json!({
            "raw_p3_keccak_air": { "permutations": reference.permutations, "prove_s": reference.prove_s, "permutations_per_s": raw_per_s },
            "geode_keccak_permute": { "permutations": loop_.permutations, "cycles": loop_.cycles, "prove_s": loop_.prove_s, "permutations_per_s": geode_per_s, "peak_rss_bytes": loop_.peak_rss_bytes, "proof_bytes": loop_.proof_bytes, "verify_s": loop_.verify_s },
            "geode_keccak_chain": { "permutations": chain.permutations, "cycles": chain.cycles, "prove_s": chain.prove_s, "permutations_per_s": chain_per_s, "peak_rss_bytes": chain.peak_rss_bytes, "proof_bytes": chain.proof_bytes, "verify_s": chain.verify_s },
            "ratio_geode_to_raw": geode_per_s / raw_per_s,
            "cycles_per_keccak_f": { "precompile": precompile, "software": software, "ratio": software / precompile },
        });
        println!("{report}");
    } else {
        println!(
            "(a) raw p3-keccak-air: {} permutations in {:.2} s = {raw_per_s:.0} permutations/s",
            reference.permutations, reference.prove_s
        );
        for (label, s, per_s) in [
            ("(b) geode keccak-permute", &loop_, geode_per_s),
            (
                "    geode keccak-chain (keccak256 per permutation)",
                &chain,
                chain_per_s,
            ),
        ] {
            println!(
                "{label}: {} permutations ({} cycles) in {:.2} s = {per_s:.0} permutations/s, \
                 {:.0}% of (a); proof {} KB, verify {:.0} ms, peak RSS {} MiB",
                s.permutations,
                s.cycles,
                s.prove_s,
                100.0 * per_s / raw_per_s,
                s.proof_bytes / 1000,
                s.verify_s * 1000.0,
                s.peak_rss_bytes >> 20
            );
        }
        println!(
            "(c) RISC-V cycles per keccak256 of 32 bytes (one keccak-f): precompile {precompile:.1}, \
             software {software:.1}: {:.0}x fewer",
            software / precompile
        );
        println!("budgets: (b) >= 60% of (a); (c) >= 50x");
    }
    Ok(ExitCode::SUCCESS)
}
