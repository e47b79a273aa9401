//! Builds the guest programs in `guest-programs/` for riscv32im and finds their ELFs.
//!
//! The guests form a cargo workspace of their own (another target, profile and lock file), so
//! this crate runs a separate `cargo build --release` there. That cargo must not inherit what the
//! calling cargo (`cargo test`, `cargo xtask`) put into the environment: host `RUSTFLAGS` such as
//! `-C target-cpu=native`, a pinned `RUSTUP_TOOLCHAIN`, a redirected `CARGO_TARGET_DIR`, the
//! jobserver, package metadata. [`build_guest`] and [`build_guests`] remove all of that and pass
//! the guest target and the linker script flag explicitly, so any crate in `guest-programs/`
//! builds the same way as `cd guest-programs && cargo build --release` does by hand.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output};
use std::sync::{Mutex, PoisonError};
use std::{env, fs};

mod program;
mod scaffold;

pub use program::{ELF_ENV_PREFIX, build_guest_crate, build_program};
pub use scaffold::new_guest;

/// The Rust target every guest is built for.
pub const GUEST_TARGET: &str = "riscv32im-unknown-none-elf";

/// `rustflags` of every guest build: link with geode-guest's linker script, which geode-guest's
/// build script puts on the search path. The same as in `guest-programs/.cargo/config.toml`, so
/// that a build by hand and one through this crate share cargo's cache.
const GUEST_RUSTFLAGS: [&str; 2] = ["-C", "link-arg=-Tgeode-link.x"];

/// How much of a failed command's stderr an error keeps.
const STDERR_TAIL_LINES: usize = 40;

/// Serializes the builds of one process. Cargo's own lock on the target directory already makes
/// concurrent builds correct; this keeps parallel tests from queueing up a cargo each, all
/// printing "Blocking waiting for file lock".
static BUILD_LOCK: Mutex<()> = Mutex::new(());

/// A built guest program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestElf {
    /// The guest's package name, which is also its binary's name.
    pub name: String,
    /// The ELF file.
    pub path: PathBuf,
}

/// Why a guest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The guest toolchain lacks the riscv32im standard library.
    #[error(
        "the Rust target riscv32im-unknown-none-elf is not installed for the guest toolchain (no \
         core library in {}); install it with `rustup target add riscv32im-unknown-none-elf`, \
         run in guest-programs/ so that it applies to the pinned toolchain",
        .libdir.display()
    )]
    MissingTarget {
        /// Where `rustc --print target-libdir` says the target's libraries belong.
        libdir: PathBuf,
    },
    /// `cargo` or `rustc` is not on `PATH`.
    #[error("`{tool}` not found on PATH; install Rust with rustup (https://rustup.rs)")]
    ToolNotFound {
        /// The missing program.
        tool: &'static str,
        /// The error from starting it.
        #[source]
        source: io::Error,
    },
    /// `cargo build` (or the `rustc` query before it) failed.
    #[error("`{command}` failed ({status}); the end of its output:\n{stderr_tail}")]
    CommandFailed {
        /// The command line, for reproducing by hand.
        command: String,
        /// How it exited.
        status: ExitStatus,
        /// The last lines of its stderr, where cargo reports errors.
        stderr_tail: String,
    },
    /// No guest program has this name.
    #[error("unknown guest program `{name}`; the guests are: {}", .known.join(", "))]
    UnknownGuest {
        /// The requested name.
        name: String,
        /// The guests of `guest-programs/`.
        known: Vec<String>,
    },
    /// Cargo succeeded but left no ELF where the guest's should be: the guest is missing from
    /// the members of `guest-programs/Cargo.toml`, or its binary is named differently from its
    /// package.
    #[error(
        "cargo succeeded but there is no ELF for guest `{name}` at {}; is it a member of \
         guest-programs/Cargo.toml, with a binary named like its package?",
        .path.display()
    )]
    MissingElf {
        /// The guest.
        name: String,
        /// Where its ELF should be.
        path: PathBuf,
    },
    /// [`build_program`] was pointed at a directory that holds no guest crate.
    #[error("{} is not a guest crate: {reason}", .path.display())]
    NotAGuestCrate {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A new guest cannot take this name or place.
    #[error("cannot create guest `{name}`: {reason}")]
    CannotCreate {
        /// The requested name.
        name: String,
        /// Why not.
        reason: String,
    },
    /// Reading `guest-programs/` or starting a command failed.
    #[error("I/O error on {}: {source}", .path.display())]
    Io {
        /// The file, directory or program involved.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
}

/// `<repo>/guest-programs`, the guests' workspace.
pub fn guest_programs_dir() -> PathBuf {
    // This crate lives in <repo>/crates/build.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/build lies two levels below the repository root");
    repo.join("guest-programs")
}

/// Where the ELF of guest `name` is once built:
/// `guest-programs/target/riscv32im-unknown-none-elf/release/<name>`.
pub fn elf_path(name: &str) -> PathBuf {
    guest_programs_dir()
        .join("target")
        .join(GUEST_TARGET)
        .join("release")
        .join(name)
}

/// The guest programs: the package names of the directories of `guest-programs/` that hold a
/// binary crate (a `Cargo.toml` with `src/main.rs` or a `[[bin]]`), sorted.
pub fn list_guests() -> Result<Vec<String>, BuildError> {
    let dir = guest_programs_dir();
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BuildError::Io { path, source }
    };
    let mut guests = Vec::new();
    for entry in fs::read_dir(&dir).map_err(io_error(&dir))? {
        let crate_dir = entry.map_err(io_error(&dir))?.path();
        let manifest_path = crate_dir.join("Cargo.toml");
        if !manifest_path.is_file() {
            continue;
        }
        let manifest = fs::read_to_string(&manifest_path).map_err(io_error(&manifest_path))?;
        if !crate_dir.join("src/main.rs").is_file() && !manifest.contains("[[bin]]") {
            continue;
        }
        let name = package_name(&manifest).map_or_else(
            || {
                crate_dir
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            },
            str::to_owned,
        );
        guests.push(name);
    }
    guests.sort();
    Ok(guests)
}

/// Builds every guest (release profile) and returns their ELFs, sorted by name.
pub fn build_guests() -> Result<Vec<GuestElf>, BuildError> {
    let guests = list_guests()?;
    let _lock = BUILD_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let dir = guest_programs_dir();
    check_target(&dir)?;
    // One cargo for the whole workspace: it builds the members in parallel.
    cargo_build(&dir, None)?;
    guests.into_iter().map(built_elf).collect()
}

/// Builds guest `name` (release profile) and returns its ELF.
pub fn build_guest(name: &str) -> Result<GuestElf, BuildError> {
    let known = list_guests()?;
    if !known.iter().any(|guest| guest == name) {
        return Err(BuildError::UnknownGuest {
            name: name.to_owned(),
            known,
        });
    }
    let _lock = BUILD_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let dir = guest_programs_dir();
    check_target(&dir)?;
    cargo_build(&dir, Some(name))?;
    built_elf(name.to_owned())
}

/// The ELF of a guest that cargo has just built.
fn built_elf(name: String) -> Result<GuestElf, BuildError> {
    let path = elf_path(&name);
    if path.is_file() {
        Ok(GuestElf { name, path })
    } else {
        Err(BuildError::MissingElf { name, path })
    }
}

/// The `name` of the `[package]` table of a manifest. A line scanner rather than a TOML parser:
/// guest manifests are ours and simple, and this crate stays free of heavy dependencies.
fn package_name(manifest: &str) -> Option<&str> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("name") {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return value.strip_prefix('"')?.strip_suffix('"');
        }
    }
    None
}

/// Whether the calling cargo or rustup set `var` for itself, so that it must not reach the guest
/// build: flags and tools meant for the host, the host build's target and target directory,
/// per-package metadata, the jobserver, and the toolchain pin that would override
/// `guest-programs/rust-toolchain.toml`.
fn leaks_into_guest_build(var: &str) -> bool {
    const EXACT: [&str; 15] = [
        "RUSTFLAGS",
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTUP_TOOLCHAIN",
        "RUSTUP_TOOLCHAIN_SOURCE",
        "CARGO",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_MAKEFLAGS",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_CRATE_NAME",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    const PREFIXES: [&str; 10] = [
        "CARGO_BUILD_",  // CARGO_BUILD_TARGET, _RUSTFLAGS, _RUSTC, _TARGET_DIR, ...
        "CARGO_TARGET_", // CARGO_TARGET_DIR, CARGO_TARGET_<TRIPLE>_RUSTFLAGS/_LINKER/_RUNNER
        "CARGO_PROFILE_",
        "CARGO_CFG_",
        "CARGO_FEATURE_",
        "CARGO_PKG_",
        "CARGO_BIN_",
        "CARGO_UNSTABLE_",
        "CARGO_LLVM_COV",
        "__CARGO_",
    ];
    EXACT.contains(&var) || PREFIXES.iter().any(|prefix| var.starts_with(prefix))
}

/// A command run in the guest workspace `dir` (so that rustup picks its `rust-toolchain.toml`
/// and cargo its `.cargo/config.toml`) with the leaking variables removed.
fn guest_command(program: &str, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir);
    for (var, _) in env::vars_os() {
        if var.to_str().is_some_and(leaks_into_guest_build) {
            command.env_remove(var);
        }
    }
    command
}

/// Runs `command` to completion, capturing its output; a non-zero exit is an error.
fn run(mut command: Command, tool: &'static str) -> Result<Output, BuildError> {
    let output = command.output().map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => BuildError::ToolNotFound { tool, source },
        _ => BuildError::Io {
            path: PathBuf::from(tool),
            source,
        },
    })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(BuildError::CommandFailed {
            command: describe(&command),
            status: output.status,
            stderr_tail: tail(&String::from_utf8_lossy(&output.stderr), STDERR_TAIL_LINES),
        })
    }
}

/// Fails with [`BuildError::MissingTarget`] unless the guest toolchain has the riscv32im core
/// library, which otherwise shows up as a confusing "can't find crate for `core`" deep in
/// cargo's output.
fn check_target(dir: &Path) -> Result<(), BuildError> {
    let mut rustc = guest_command("rustc", dir);
    rustc.args(["--print", "target-libdir", "--target", GUEST_TARGET]);
    let output = run(rustc, "rustc")?;
    let libdir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let has_core = fs::read_dir(&libdir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            file_name.starts_with("libcore-") && file_name.ends_with(".rlib")
        })
    });
    if has_core {
        Ok(())
    } else {
        Err(BuildError::MissingTarget { libdir })
    }
}

/// `cargo build --release` in the guest workspace `dir`, of guest `name` or of every member.
fn cargo_build(dir: &Path, name: Option<&str>) -> Result<(), BuildError> {
    let mut cargo = guest_command("cargo", dir);
    cargo.args(["build", "--release", "--target", GUEST_TARGET]);
    if let Some(name) = name {
        // By its binary, which only workspace members have: `--package ecdsa` would be
        // ambiguous between the guest and the crates.io `ecdsa` that k256 pulls in.
        cargo.args(["--bin", name]);
    }
    // The encoded form takes flags separated by 0x1f, so no flag is split at a space.
    cargo.env("CARGO_ENCODED_RUSTFLAGS", GUEST_RUSTFLAGS.join("\x1f"));
    run(cargo, "cargo").map(drop)
}

/// `command` as a shell line, for error messages. Leaves out the environment: the rustflags it
/// sets are also in `guest-programs/.cargo/config.toml`, so the line does the same by hand.
fn describe(command: &Command) -> String {
    let dir = command.get_current_dir().unwrap_or(Path::new("."));
    let mut line = format!("cd {} &&", dir.display());
    let args = std::iter::once(command.get_program()).chain(command.get_args());
    for arg in args.map(OsStr::display) {
        let _ = write!(line, " {arg}");
    }
    line
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_guest_programs() {
        let guests = list_guests().unwrap();
        for expected in ["fibonacci", "hello", "isa-check", "keccak", "keccak-chain"] {
            assert!(
                guests.iter().any(|g| g == expected),
                "{expected} missing from {guests:?}"
            );
        }
        assert!(guests.is_sorted());
    }

    #[test]
    fn an_unknown_guest_names_the_known_ones() {
        let err = build_guest("nope").unwrap_err();
        let BuildError::UnknownGuest { name, known } = &err else {
            panic!("expected UnknownGuest, got {err}");
        };
        assert_eq!(name, "nope");
        assert!(known.iter().any(|g| g == "fibonacci"));
        assert!(err.to_string().contains("fibonacci"), "{err}");
    }

    /// Runs the real build, under `cargo test`, whose environment is what the sanitizing has to
    /// cope with.
    #[test]
    fn builds_fibonacci_as_a_riscv32_elf() {
        let elf = build_guest("fibonacci").unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(elf.name, "fibonacci");
        assert_eq!(elf.path, elf_path("fibonacci"));
        let bytes = fs::read(&elf.path).unwrap();
        assert_eq!(&bytes[..4], b"\x7fELF");
        assert_eq!(bytes[4], 1, "ELFCLASS32");
        assert_eq!(bytes[5], 1, "little endian");
        let e_machine = u16::from_le_bytes([bytes[18], bytes[19]]);
        assert_eq!(e_machine, 0xf3, "EM_RISCV");
    }

    #[test]
    fn reads_the_package_name() {
        let manifest = "[workspace]\nname = \"no\"\n[package]\nversion = \"1\"\nname = \"yes\"\n";
        assert_eq!(package_name(manifest), Some("yes"));
        assert_eq!(package_name("[package]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn removes_host_build_variables() {
        for var in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_RUSTFLAGS",
            "CARGO_BUILD_TARGET",
            "CARGO_TARGET_DIR",
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
            "RUSTC_WRAPPER",
            "RUSTUP_TOOLCHAIN",
            "CARGO_MAKEFLAGS",
            "CARGO_CFG_TARGET_ARCH",
            "CARGO_FEATURE_STD",
            "CARGO_PKG_NAME",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_PROFILE_RELEASE_DEBUG",
            "__CARGO_FIX_PLZ",
        ] {
            assert!(leaks_into_guest_build(var), "{var}");
        }
        for var in [
            "PATH",
            "HOME",
            "CARGO_HOME",
            "RUSTUP_HOME",
            "CARGO_NET_OFFLINE",
            "CARGO_TERM_COLOR",
        ] {
            assert!(!leaks_into_guest_build(var), "{var}");
        }
    }

    #[test]
    fn keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }
}
