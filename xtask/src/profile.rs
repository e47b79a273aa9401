//! `cargo xtask run --profile`: where a guest's cycles go, per function (from the ELF's symbol
//! table) and per syscall.

use std::collections::BTreeMap;

use anyhow::Context;
use geode_executor::Profile;
use goblin::elf::Elf;
use goblin::elf::sym::STT_FUNC;
use serde::Serialize;

/// A function of the guest: `[start, end)` and its demangled name.
struct Function {
    start: u32,
    end: u32,
    name: String,
}

/// The function symbols of an ELF, sorted by address.
fn functions(elf_bytes: &[u8]) -> anyhow::Result<Vec<Function>> {
    let elf = Elf::parse(elf_bytes).context("reading the ELF's symbol table")?;
    let mut functions: Vec<Function> = elf
        .syms
        .iter()
        .filter(|s| s.st_type() == STT_FUNC && s.st_size > 0)
        .filter_map(|s| {
            let name = elf.strtab.get_at(s.st_name)?;
            Some(Function {
                start: u32::try_from(s.st_value).ok()?,
                end: u32::try_from(s.st_value + s.st_size).ok()?,
                name: format!("{:#}", rustc_demangle::demangle(name)),
            })
        })
        .collect();
    functions.sort_by_key(|f| f.start);
    Ok(functions)
}

#[derive(Serialize)]
pub(crate) struct FunctionCycles {
    name: String,
    cycles: u64,
    share: f64,
}

#[derive(Serialize)]
pub(crate) struct SyscallCalls {
    name: String,
    id: u32,
    calls: u64,
}

#[derive(Serialize)]
pub(crate) struct ProfileReport {
    cycles: u64,
    functions: Vec<FunctionCycles>,
    syscalls: Vec<SyscallCalls>,
}

/// Cycles per function, most first (instructions outside every symbol count as `<unknown>`),
/// and calls per syscall.
pub(crate) fn report(elf_bytes: &[u8], profile: &Profile) -> anyhow::Result<ProfileReport> {
    let functions = functions(elf_bytes)?;
    let mut per_function: BTreeMap<&str, u64> = BTreeMap::new();
    let mut cycles = 0;
    for (pc, n) in profile.executed() {
        cycles += n;
        let at = functions.partition_point(|f| f.start <= pc);
        let name = at
            .checked_sub(1)
            .map(|i| &functions[i])
            .filter(|f| pc < f.end)
            .map_or("<unknown>", |f| f.name.as_str());
        *per_function.entry(name).or_default() += n;
    }
    let mut functions: Vec<FunctionCycles> = per_function
        .into_iter()
        .map(|(name, n)| FunctionCycles {
            name: name.to_owned(),
            cycles: n,
            share: n as f64 / cycles.max(1) as f64,
        })
        .collect();
    functions.sort_by(|a, b| b.cycles.cmp(&a.cycles).then_with(|| a.name.cmp(&b.name)));
    let syscalls = profile
        .syscalls
        .iter()
        .map(|(&id, &calls)| SyscallCalls {
            name: geode_platform::syscall::name(id)
                .unwrap_or("unknown")
                .to_owned(),
            id,
            calls,
        })
        .collect();
    Ok(ProfileReport {
        cycles,
        functions,
        syscalls,
    })
}

/// Prints the `top` functions and every syscall.
pub(crate) fn print(report: &ProfileReport, top: usize) {
    println!("--- profile: {} cycles", report.cycles);
    println!("{:>12} {:>7}  function", "cycles", "share");
    for f in report.functions.iter().take(top) {
        println!("{:>12} {:>6.2}%  {}", f.cycles, 100.0 * f.share, f.name);
    }
    let rest: u64 = report.functions.iter().skip(top).map(|f| f.cycles).sum();
    if rest > 0 {
        let others = report.functions.len() - top;
        let share = 100.0 * rest as f64 / report.cycles.max(1) as f64;
        println!("{rest:>12} {share:>6.2}%  ({others} more functions)");
    }
    if !report.syscalls.is_empty() {
        println!("{:>12}  syscall", "calls");
        for s in &report.syscalls {
            println!("{:>12}  {} ({:#x})", s.calls, s.name, s.id);
        }
    }
}
