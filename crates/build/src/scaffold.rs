//! [`new_guest`]: a new guest program that builds and proves as it is.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{BuildError, guest_programs_dir, list_guests};

/// The program a new guest starts with: typed input with a default, a computation, typed
/// output, a line on stdout.
const MAIN_RS: &str = r#"//! {name}: a Geode guest program.
//!
//! Input: optionally `n: u32` (postcard, written by the host with `Stdin::write`); 10 without
//! input. Output: `n`, then the sum of the first `n` squares as a `u64`.
#![no_std]
#![no_main]

use geode_guest::io;

geode_guest::entrypoint!(main);

fn main() {
    let n: u32 = io::read_or(10);
    let sum: u64 = (1..=u64::from(n)).map(|k| k * k).sum();
    geode_guest::println!("sum of the first {n} squares = {sum}");
    io::commit(&n);
    io::commit(&sum);
}
"#;

/// Creates guest `name` with the program of [`MAIN_RS`] and returns its directory.
///
/// - `dir = None`: as `guest-programs/<name>`, a member of the guests' workspace (added to its
///   `members`), so `cargo xtask run <name>` and `cargo xtask prove <name>` find it.
/// - `dir = Some(d)`: as a workspace of its own in `d` (which must not exist yet), depending on
///   this repository's `geode-guest` by path, with the guests' toolchain file, cargo
///   configuration, release profile and lock file; build it with
///   [`crate::build_guest_crate`] or `cargo xtask run d`.
///
/// # Errors
/// [`BuildError::CannotCreate`] for a name that is not a crate name or already a guest, or a
/// directory that exists; [`BuildError::Io`] if writing fails.
pub fn new_guest(name: &str, dir: Option<&Path>) -> Result<PathBuf, BuildError> {
    let refuse = |reason: &str| BuildError::CannotCreate {
        name: name.to_owned(),
        reason: reason.to_owned(),
    };
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(refuse(
            "a guest name is lowercase letters, digits, '-' and '_', starting with a letter",
        ));
    }
    let guests = guest_programs_dir();
    let member = dir.is_none();
    if member && list_guests()?.iter().any(|g| g == name) {
        return Err(refuse("a guest of that name exists"));
    }
    let crate_dir = dir.map_or_else(|| guests.join(name), Path::to_path_buf);
    if crate_dir.exists() {
        return Err(refuse(&format!("{} exists", crate_dir.display())));
    }
    let manifest = if member {
        format!(
            "[package]\nname = \"{name}\"\nversion.workspace = true\nedition.workspace = true\n\
             rust-version.workspace = true\nlicense.workspace = true\npublish.workspace = true\n\n\
             [dependencies]\ngeode-guest.workspace = true\n\n[lints]\nworkspace = true\n"
        )
    } else {
        let guest_crate = guests
            .parent()
            .map(|repo| repo.join("crates/guest"))
            .ok_or_else(|| refuse("the repository has no crates/guest"))?;
        let guest_crate = fs::canonicalize(&guest_crate).map_err(io(&guest_crate))?;
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ngeode-guest = {{ path = \"{}\" }}\n\n\
             # A workspace of its own: guests build for riscv32im with their own profile.\n\
             [workspace]\n\n\
             [profile.release]\nopt-level = 3\nlto = true\ncodegen-units = 1\npanic = \"abort\"\n\
             strip = false\n\n[profile.dev]\npanic = \"abort\"\n",
            guest_crate.display()
        )
    };
    let src = crate_dir.join("src");
    fs::create_dir_all(&src).map_err(io(&src))?;
    write(&crate_dir.join("Cargo.toml"), &manifest)?;
    write(&src.join("main.rs"), &MAIN_RS.replace("{name}", name))?;
    if member {
        add_member(&guests.join("Cargo.toml"), name)?;
    } else {
        for file in ["rust-toolchain.toml", "Cargo.lock", ".cargo/config.toml"] {
            let to = crate_dir.join(file);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            fs::copy(guests.join(file), &to).map_err(io(&to))?;
        }
    }
    Ok(crate_dir)
}

/// Adds `"name",` at the end of the `members` list of the workspace manifest.
fn add_member(manifest_path: &Path, name: &str) -> Result<(), BuildError> {
    let manifest = fs::read_to_string(manifest_path).map_err(io(manifest_path))?;
    let start = manifest
        .find("members = [")
        .ok_or_else(|| BuildError::CannotCreate {
            name: name.to_owned(),
            reason: format!("{} has no `members = [` list", manifest_path.display()),
        })?;
    let end = start
        + manifest[start..]
            .find(']')
            .ok_or_else(|| BuildError::CannotCreate {
                name: name.to_owned(),
                reason: format!("{}'s members list is not closed", manifest_path.display()),
            })?;
    let updated = format!("{}    \"{name}\",\n{}", &manifest[..end], &manifest[end..]);
    write(manifest_path, &updated)
}

fn write(path: &Path, contents: &str) -> Result<(), BuildError> {
    fs::write(path, contents).map_err(io(path))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_names_and_taken_places_are_refused() {
        for name in ["", "Fib", "1st", "a b", "../x", "fibonacci"] {
            assert!(
                matches!(new_guest(name, None), Err(BuildError::CannotCreate { .. })),
                "{name:?}"
            );
        }
        let taken = guest_programs_dir();
        assert!(matches!(
            new_guest("fresh", Some(&taken)),
            Err(BuildError::CannotCreate { .. })
        ));
    }

    #[test]
    fn a_member_is_appended_to_the_members_list() {
        let dir = std::env::temp_dir().join(format!("geode-scaffold-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        fs::write(&manifest, "[workspace]\nmembers = [\n    \"a\",\n]\n").unwrap();
        add_member(&manifest, "b").unwrap();
        assert_eq!(
            fs::read_to_string(&manifest).unwrap(),
            "[workspace]\nmembers = [\n    \"a\",\n    \"b\",\n]\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
