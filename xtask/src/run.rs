//! `cargo xtask run`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use geode_executor::{
    ExecOptions, ExecutionOutput, Program, Stdin, execute, execute_profiled, execute_traced,
};
use serde::Serialize;

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    /// A guest name from guest-programs/, a guest crate's directory (built if needed) or the
    /// path of an RV32IM ELF.
    program: String,
    #[command(flatten)]
    input: InputArgs,
    /// Stop with an error after this many instructions.
    #[arg(long, value_name = "N", default_value_t = geode_executor::DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    /// Print every executed instruction to stderr.
    #[arg(long, conflicts_with = "profile")]
    trace: bool,
    /// Report cycles per guest function (from the ELF's symbols) and calls per syscall.
    #[arg(long)]
    profile: bool,
    /// With `--profile`: how many functions to list.
    #[arg(long, value_name = "N", default_value_t = 25)]
    top: usize,
    /// Print one JSON object instead of human output.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct RunReport<'a> {
    program: &'a str,
    exit_code: u32,
    cycles: u64,
    output_hex: String,
    output_digest_hex: String,
    digest_ok: bool,
    stdout: String,
    stderr: String,
    elapsed_s: f64,
    mips: f64,
}

/// Resolves a guest name, a guest crate's directory or an ELF path to the loaded program.
pub(crate) fn load_program(program: &str) -> anyhow::Result<(String, Program)> {
    let path = Path::new(program);
    let path = if path.is_file() {
        path.to_path_buf()
    } else if path.join("Cargo.toml").is_file() {
        geode_build::build_guest_crate(path)?.path
    } else if program.contains('/') || program.ends_with(".elf") {
        bail!("no such file: {program}");
    } else {
        geode_build::build_guest(program)?.path
    };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let program =
        Program::from_elf(&bytes).with_context(|| format!("loading {}", path.display()))?;
    Ok((path.display().to_string(), program))
}

/// The guest's input, from the command line.
#[derive(Args, Debug)]
pub(crate) struct InputArgs {
    /// A file whose bytes become one input frame (read in the guest with `io::read_vec`).
    #[arg(long, value_name = "FILE", conflicts_with = "input_u32")]
    input: Option<PathBuf>,
    /// A u32 input value (read in the guest with `io::read::<u32>`).
    #[arg(long, value_name = "N")]
    input_u32: Option<u32>,
}

impl InputArgs {
    /// The input stream these flags describe.
    pub(crate) fn stdin(&self) -> anyhow::Result<Stdin> {
        let mut stdin = Stdin::new();
        if let Some(file) = &self.input {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            stdin.write_slice(&bytes)?;
        }
        if let Some(n) = self.input_u32 {
            stdin.write(&n)?;
        }
        Ok(stdin)
    }
}

pub(crate) fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let (path, program) = load_program(&args.program)?;
    let stdin = args.input.stdin()?;
    let opts = ExecOptions::with_max_cycles(args.max_cycles);
    let start = Instant::now();
    if args.profile {
        let (out, profile) =
            execute_profiled(&program, &stdin, &opts).with_context(|| format!("running {path}"))?;
        let elapsed = start.elapsed().as_secs_f64();
        let elf = std::fs::read(&path).with_context(|| format!("reading {path}"))?;
        let profile = crate::profile::report(&elf, &profile)?;
        if args.json {
            let mut report = serde_json::to_value(run_report(&args.program, &out, elapsed))?;
            report["profile"] = serde_json::to_value(&profile)?;
            println!("{report}");
        } else {
            report(&args.program, &out, elapsed, false)?;
            crate::profile::print(&profile, args.top);
        }
        return Ok(exit_code(&out));
    }
    let out = if args.trace {
        let mut listing = BufWriter::new(std::io::stderr().lock());
        let out = execute_traced(&program, &stdin, &opts, &mut listing);
        listing.flush()?;
        out
    } else {
        execute(&program, &stdin, &opts)
    }
    .with_context(|| format!("running {path}"))?;
    let elapsed = start.elapsed().as_secs_f64();
    report(&args.program, &out, elapsed, args.json)?;
    Ok(exit_code(&out))
}

/// A guest that exits non-zero (a panic exits 101) fails the command too.
fn exit_code(out: &ExecutionOutput) -> ExitCode {
    if out.exit_code == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_report<'a>(name: &'a str, out: &ExecutionOutput, elapsed: f64) -> RunReport<'a> {
    RunReport {
        program: name,
        exit_code: out.exit_code,
        cycles: out.cycles,
        output_hex: hex(&out.public_output),
        output_digest_hex: hex(&out.output_digest),
        digest_ok: out.digest_matches(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed_s: elapsed,
        mips: out.cycles as f64 / elapsed.max(1e-9) / 1e6,
    }
}

fn report(name: &str, out: &ExecutionOutput, elapsed: f64, json: bool) -> anyhow::Result<()> {
    let report = run_report(name, out, elapsed);
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    print!("{}", report.stdout);
    eprint!("{}", report.stderr);
    println!("---");
    println!("program      {}", report.program);
    println!("exit code    {}", report.exit_code);
    println!("cycles       {}", report.cycles);
    println!(
        "output       {} ({} bytes)",
        abbreviate(&report.output_hex),
        out.public_output.len()
    );
    let check = if report.digest_ok {
        "matches keccak256(output)"
    } else {
        "DOES NOT match keccak256(output)"
    };
    println!("digest       {} ({check})", report.output_digest_hex);
    println!(
        "time         {:.3} s ({:.1} M instructions/s)",
        report.elapsed_s, report.mips
    );
    Ok(())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn abbreviate(hex: &str) -> String {
    if hex.len() <= 80 {
        hex.to_owned()
    } else {
        format!("{}…{}", &hex[..40], &hex[hex.len() - 16..])
    }
}
