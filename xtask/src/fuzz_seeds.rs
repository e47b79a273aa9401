//! `cargo xtask fuzz-seeds`: writes the seed corpora of the fuzz targets in `fuzz/`, all
//! generated here from the project's own programs (nothing downloaded):
//! - `elf_loader`: every guest's loadable segments rewritten as a compact ELF (no sections, so
//!   the fuzzer spends its time on what the loader reads), the `hello` ELF as linked, and the
//!   generated hostile-ELF corpus;
//! - `executor`: every guest's code, read-only data and a typical input, in the executor
//!   target's encoding (`geode_executor::testing::fuzz::FuzzProgram`);
//! - `proof_decode_verify`: an honest proof of the target's fixed program, and its prefix.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use geode_executor::testing::fuzz::{FuzzProgram, proof_target_elf};
use geode_executor::testing::{ElfWriter, hostile};
use geode_executor::{Program, Stdin};
use geode_machine::RiscvMachine;
use goblin::elf::Elf;
use goblin::elf::program_header::PT_LOAD;

#[derive(Args, Debug)]
pub(crate) struct FuzzSeedsArgs {
    /// The corpus root; each target's seeds go to `<out>/<target>/`.
    #[arg(long, default_value = "fuzz/corpus")]
    out: PathBuf,
}

/// Writes `bytes` as `<dir>/<name>`.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// A typical input for a guest that reads one.
fn input_for(guest: &str) -> anyhow::Result<Vec<u8>> {
    let mut stdin = Stdin::new();
    match guest {
        "fibonacci" => {
            stdin.write(&20u32)?;
        }
        "keccak" => {
            stdin.write_slice(b"abc")?;
        }
        _ => {}
    }
    Ok(stdin.as_bytes().to_vec())
}

/// A guest in the executor target's encoding: its first code segment, its first data segment
/// with file bytes, and a typical input.
fn executor_seed(guest: &str, elf: &[u8]) -> anyhow::Result<FuzzProgram> {
    let parsed = Elf::parse(elf).with_context(|| format!("parsing {guest}"))?;
    let mut program = FuzzProgram {
        stdin: input_for(guest)?,
        ..FuzzProgram::default()
    };
    for ph in parsed
        .program_headers
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
    {
        let bytes = elf
            .get(ph.file_range())
            .with_context(|| format!("{guest}: segment bytes"))?;
        if ph.is_executable() && program.code.is_empty() {
            program.code = bytes
                .chunks_exact(4)
                .take(FuzzProgram::MAX_CODE_WORDS)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
                .collect();
        } else if !ph.is_executable() && program.data.is_empty() && !bytes.is_empty() {
            program.data_vaddr = u32::try_from(ph.p_vaddr)?;
            program.data = bytes[..bytes.len().min(usize::from(u16::MAX))].to_vec();
        }
    }
    Ok(program)
}

/// The ELF's loadable segments and entry, rewritten by `ElfWriter` without sections.
fn compact(guest: &str, elf: &[u8]) -> anyhow::Result<Vec<u8>> {
    let parsed = Elf::parse(elf).with_context(|| format!("parsing {guest}"))?;
    let mut w = ElfWriter::new(u32::try_from(parsed.entry)?);
    for ph in parsed
        .program_headers
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
    {
        let data = elf
            .get(ph.file_range())
            .with_context(|| format!("{guest}: segment bytes"))?;
        let memsz = u32::try_from(ph.p_memsz)?;
        w = w.segment(
            u32::try_from(ph.p_vaddr)?,
            ph.p_flags,
            data.to_vec(),
            Some(memsz),
        );
    }
    Ok(w.build())
}

pub(crate) fn fuzz_seeds(args: &FuzzSeedsArgs) -> anyhow::Result<ExitCode> {
    let elf_dir = args.out.join("elf_loader");
    let exec_dir = args.out.join("executor");
    let proof_dir = args.out.join("proof_decode_verify");
    let guests = geode_build::build_guests()?;
    for guest in &guests {
        let elf = std::fs::read(&guest.path)
            .with_context(|| format!("reading {}", guest.path.display()))?;
        write(
            &elf_dir,
            &format!("guest-{}", guest.name),
            &compact(&guest.name, &elf)?,
        )?;
        if guest.name == "hello" {
            write(&elf_dir, "guest-hello-as-linked", &elf)?;
        }
        let seed = executor_seed(&guest.name, &elf)?;
        write(&exec_dir, &format!("guest-{}", guest.name), &seed.encode())?;
    }
    let corpus = hostile::corpus();
    for (k, file) in corpus.iter().enumerate() {
        write(&elf_dir, &format!("hostile-{k:03}"), &file.bytes)?;
    }

    let machine = RiscvMachine::new(Program::from_elf(&proof_target_elf())?);
    let (out, proof) = machine.prove(&Stdin::new())?;
    machine
        .verify(&proof, 0, &[])
        .context("the seed proof does not verify against the target's claim")?;
    anyhow::ensure!(out.exit_code == 0 && out.public_output.is_empty());
    let bytes = proof.to_bytes()?;
    write(&proof_dir, "honest", &bytes)?;
    write(&proof_dir, "honest-prefix", &bytes[..bytes.len().min(256)])?;

    println!(
        "elf_loader: {} guests + {} hostile files -> {}",
        guests.len(),
        corpus.len(),
        elf_dir.display()
    );
    println!(
        "executor: {} guests -> {}",
        guests.len(),
        exec_dir.display()
    );
    println!(
        "proof_decode_verify: honest proof ({} bytes) and a prefix -> {}",
        bytes.len(),
        proof_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
