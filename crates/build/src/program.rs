//! [`build_program`]: builds a guest crate from a host crate's build script and hands its ELF to
//! the host code through an environment variable, which `geode_sdk::include_elf!` reads.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

use crate::{
    BUILD_LOCK, BuildError, GUEST_TARGET, GuestElf, cargo_build, check_target, package_name,
};

/// [`build_program`] sets `GEODE_ELF_<name>` to the path of guest `<name>`'s ELF while cargo
/// compiles the host crate; `geode_sdk::include_elf!("<name>")` embeds the file it names.
pub const ELF_ENV_PREFIX: &str = "GEODE_ELF_";

/// Builds the guest crate in directory `path` for riscv32im (release profile) and returns its
/// ELF. Meant for a host crate's `build.rs`:
///
/// ```no_run
/// // In `fn main` of the build.rs of a host crate next to the guest:
/// geode_build::build_program("../guest").unwrap_or_else(|err| panic!("{err}"));
/// ```
///
/// A relative `path` is taken from the current directory, which for a build script is the host
/// crate's directory. The guest is built in its cargo workspace (the nearest directory above it
/// whose `Cargo.toml` has a `[workspace]` table, else its own directory) with the same sanitized
/// environment as [`crate::build_guest`], and its binary must be named like its package. The ELF
/// is `<workspace>/target/riscv32im-unknown-none-elf/release/<name>`.
///
/// It also prints the build-script directives that wire the ELF into the host crate:
/// `cargo::rustc-env=GEODE_ELF_<name>=<ELF path>` (see [`ELF_ENV_PREFIX`]) and
/// `cargo::rerun-if-changed` for the guest crate, its workspace's `Cargo.toml`, `Cargo.lock`,
/// `rust-toolchain.toml` and `.cargo/config.toml`, and every crate it reaches through `path`
/// dependencies (such as `geode-guest`), so editing any of them rebuilds the guest.
///
/// # Errors
/// [`BuildError::NotAGuestCrate`] if `path` holds no crate with a package name, and the errors
/// of [`crate::build_guest`] (missing target or tools, a failed build, no ELF).
pub fn build_program(path: impl AsRef<Path>) -> Result<GuestElf, BuildError> {
    let (elf, crate_dir, workspace) = build(path.as_ref())?;
    for watched in watched_paths(&crate_dir, &workspace) {
        println!("cargo::rerun-if-changed={}", watched.display());
    }
    println!(
        "cargo::rustc-env={ELF_ENV_PREFIX}{}={}",
        elf.name,
        elf.path.display()
    );
    Ok(elf)
}

/// Builds the guest crate in directory `path` like [`build_program`], without the build-script
/// directives: for tools (`cargo xtask run path/to/guest`) rather than build scripts.
///
/// # Errors
/// As [`build_program`].
pub fn build_guest_crate(path: impl AsRef<Path>) -> Result<GuestElf, BuildError> {
    build(path.as_ref()).map(|(elf, _, _)| elf)
}

/// Builds the guest crate at `path`; returns its ELF, its directory and its workspace's.
fn build(path: &Path) -> Result<(GuestElf, PathBuf, PathBuf), BuildError> {
    let not_a_guest = |reason: String| BuildError::NotAGuestCrate {
        path: path.to_path_buf(),
        reason,
    };
    let crate_dir = fs::canonicalize(path).map_err(|e| not_a_guest(e.to_string()))?;
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml"))
        .map_err(|e| not_a_guest(format!("reading its Cargo.toml: {e}")))?;
    let name = package_name(&manifest)
        .ok_or_else(|| not_a_guest("its Cargo.toml names no [package]".to_owned()))?
        .to_owned();
    let workspace = workspace_root(&crate_dir);
    {
        let _lock = BUILD_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        check_target(&workspace)?;
        cargo_build(&workspace, Some(&name))?;
    }
    let elf = workspace
        .join("target")
        .join(GUEST_TARGET)
        .join("release")
        .join(&name);
    if !elf.is_file() {
        return Err(BuildError::MissingElf { name, path: elf });
    }
    Ok((GuestElf { name, path: elf }, crate_dir, workspace))
}

/// The cargo workspace `crate_dir` builds in: the nearest directory at or above it whose
/// `Cargo.toml` has a `[workspace]` table, else `crate_dir` itself.
fn workspace_root(crate_dir: &Path) -> PathBuf {
    crate_dir
        .ancestors()
        .find(|dir| {
            fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|m| m.lines().any(|line| line.trim() == "[workspace]"))
        })
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// The paths whose change should rebuild the guest: its crate, its workspace's manifest, lock file and
/// configuration, and every crate reachable through `path` dependencies, sorted.
fn watched_paths(crate_dir: &Path, workspace: &Path) -> BTreeSet<PathBuf> {
    let mut watched = BTreeSet::from([crate_dir.to_path_buf()]);
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "rust-toolchain.toml",
        ".cargo/config.toml",
    ] {
        let path = workspace.join(file);
        if path.is_file() {
            watched.insert(path);
        }
    }
    // Crates to scan for path dependencies; the workspace manifest holds the shared ones.
    let mut pending = vec![crate_dir.to_path_buf(), workspace.to_path_buf()];
    let mut scanned = BTreeSet::new();
    while let Some(dir) = pending.pop() {
        if !scanned.insert(dir.clone()) {
            continue;
        }
        let Ok(manifest) = fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        for dependency in path_values(&manifest) {
            let Ok(dependency) = fs::canonicalize(dir.join(dependency)) else {
                continue;
            };
            // `path` also names targets' source files (`[[bin]] path = "src/x.rs"`): only
            // directories with a manifest are crates.
            if dependency.join("Cargo.toml").is_file() {
                watched.insert(dependency.clone());
                pending.push(dependency);
            }
        }
    }
    watched
}

/// Every `path = "..."` value of a manifest, outside comments. A line scanner like
/// [`package_name`]: enough for the manifests of guest crates, and no TOML parser to carry.
fn path_values(manifest: &str) -> Vec<&str> {
    let mut values = Vec::new();
    for line in manifest.lines() {
        let mut rest = line.split('#').next().unwrap_or_default();
        while let Some(at) = rest.find("path") {
            let preceded_by_word = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
            rest = &rest[at + "path".len()..];
            if preceded_by_word {
                continue;
            }
            let value = rest
                .trim_start()
                .strip_prefix('=')
                .map(str::trim_start)
                .and_then(|v| v.strip_prefix('"'))
                .and_then(|v| v.split_once('"'));
            if let Some((value, after)) = value {
                values.push(value);
                rest = after;
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest_programs_dir;

    #[test]
    fn finds_path_values() {
        let manifest = r#"
[package]
name = "x"
[dependencies]
geode-guest = { path = "../crates/guest" }
other = { version = "1", path="../other", features = ["a"] }
# commented = { path = "../nope" }
xpath = { version = "1" }
[[bin]]
path = "src/main.rs"
"#;
        assert_eq!(
            path_values(manifest),
            ["../crates/guest", "../other", "src/main.rs"]
        );
    }

    #[test]
    fn a_guest_builds_in_its_workspace_and_watches_its_path_dependencies() {
        let guests = fs::canonicalize(guest_programs_dir()).unwrap();
        let fibonacci = guests.join("fibonacci");
        assert_eq!(workspace_root(&fibonacci), guests);
        let watched = watched_paths(&fibonacci, &guests);
        let repo = guests.parent().unwrap();
        for expected in [
            fibonacci.clone(),
            guests.join("Cargo.toml"),
            guests.join("Cargo.lock"),
            repo.join("crates/guest"),
            repo.join("crates/platform"),
        ] {
            assert!(
                watched.contains(&expected),
                "{expected:?} not in {watched:?}"
            );
        }
    }

    #[test]
    fn builds_a_program_by_path() {
        let elf =
            build_program(guest_programs_dir().join("hello")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(elf.name, "hello");
        assert_eq!(
            fs::canonicalize(elf.path).unwrap(),
            fs::canonicalize(crate::elf_path("hello")).unwrap()
        );
    }

    #[test]
    fn a_directory_without_a_crate_is_named() {
        let err = build_program("/").unwrap_err();
        assert!(
            matches!(err, BuildError::NotAGuestCrate { .. }),
            "expected NotAGuestCrate, got {err}"
        );
        let err = build_program("/no/such/dir").unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"), "{err}");
    }
}
