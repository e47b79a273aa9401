//! `cargo xtask`: Geode's command line.

mod bench;
mod bench_ecdsa;
mod bench_keccak;
mod bench_prove;
mod bench_wrap;
mod fuzz_seeds;
mod malleability;
mod new;
mod plot;
mod profile;
mod progress;
mod prove;
mod prove_wrap;
mod run;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "cargo xtask",
    about = "Geode: build, run and benchmark RISC-V guest programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile every program in guest-programs/ for riscv32im.
    BuildGuests,
    /// Run a guest program and print its result.
    Run(run::RunArgs),
    /// Run a guest program, prove the run (a STARK) and verify the proof.
    Prove(prove::ProveArgs),
    /// Verify a proof written by `prove --out` against a program.
    Verify(prove::VerifyArgs),
    /// Measure performance.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Create a guest program that builds and proves as it is.
    New(new::NewArgs),
    /// Prove a few guests, then check that thousands of mutated proofs and claims are rejected.
    Malleability(malleability::MalleabilityArgs),
    /// Write the fuzz targets' seed corpora (fuzz/corpus/<target>/) from the project's programs.
    FuzzSeeds(fuzz_seeds::FuzzSeedsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::BuildGuests => build_guests(),
        Command::Run(args) => run::run(&args),
        Command::Prove(args) => prove::prove(&args),
        Command::Verify(args) => prove::verify(&args),
        Command::Bench(cmd) => bench::bench(&cmd),
        Command::New(args) => new::new(&args),
        Command::Malleability(args) => malleability::malleability(&args),
        Command::FuzzSeeds(args) => fuzz_seeds::fuzz_seeds(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn build_guests() -> anyhow::Result<ExitCode> {
    for guest in geode_build::build_guests()? {
        println!("{:<12} {}", guest.name, guest.path.display());
    }
    Ok(ExitCode::SUCCESS)
}
