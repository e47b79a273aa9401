//! Shared helpers for Geode's integration tests, and the malleability campaign that
//! `cargo xtask malleability` also runs.

pub mod malleability;

use std::sync::OnceLock;

use geode_build::GuestElf;
use geode_executor::Program;

/// Builds every guest program once per test binary and returns them.
///
/// # Panics
/// If the guests do not build: every end-to-end test needs them.
pub fn guests() -> &'static [GuestElf] {
    static GUESTS: OnceLock<Vec<GuestElf>> = OnceLock::new();
    GUESTS.get_or_init(|| match geode_build::build_guests() {
        Ok(guests) => guests,
        Err(err) => panic!("building the guest programs failed: {err}"),
    })
}

/// The loaded program of guest `name`.
///
/// # Panics
/// If there is no such guest or its ELF does not load.
pub fn program(name: &str) -> Program {
    let guest = guests()
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no guest program named {name}"));
    let bytes =
        std::fs::read(&guest.path).unwrap_or_else(|e| panic!("{}: {e}", guest.path.display()));
    Program::from_elf(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}
