//! Geode's host API: run a guest program, prove the run, verify the proof and read its public
//! values, from ordinary Rust.
//!
//! ```no_run
//! use geode_sdk::{ProverClient, SdkError, Stdin};
//!
//! /// Proves fib(20) with the fibonacci guest, whose ELF is `elf` (embedded with
//! /// `include_elf!("fibonacci")`), and returns the verified result.
//! fn fib_20(elf: &[u8]) -> Result<u32, SdkError> {
//!     let client = ProverClient::builder().build();
//!     let mut stdin = Stdin::new();
//!     stdin.write(&20u32)?; // the guest's io::read::<u32>()
//!
//!     let (_, report) = client.execute(elf, &stdin)?; // fast: run only
//!     println!("{} cycles", report.cycles);
//!
//!     let (pk, vk) = client.setup(elf)?; // keys from the ELF alone
//!     let mut proof = client.prove(&pk, &stdin).run()?; // a STARK; .mock() only executes
//!     client.verify(&proof, &vk)?;
//!     proof.save("fibonacci.proof")?;
//!     let _n: u32 = proof.public_values.read()?; // the guest's io::commit(&n)
//!     proof.public_values.read() // and io::commit(&fib)
//! }
//! ```
//!
//! - [`ProverClient`] (options through [`ProverClient::builder`]) executes, sets up keys, proves
//!   ([`ProveRequest`]: `.stark()`, `.mock()`, `.wrapped()`) and verifies.
//! - [`Stdin`] builds the guest's input, [`PublicValues`] reads its committed output.
//! - [`GeodeProof`] is the versioned envelope every proof travels in (magic, format version,
//!   [`BackendId`]), with `to_bytes`/`from_bytes` and `save`/`load`.
//! - [`ProofSystem`] is the trait each backend implements ([`StarkBackend`], [`WrapBackend`],
//!   [`MockBackend`]).
//! - [`include_elf!`] embeds a guest ELF built by `geode_build::build_program`.
//! - Every failure is an [`SdkError`]; hostile ELFs and proof bytes never panic.
#![warn(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod backend;
mod client;
mod envelope;
mod error;
mod keys;
mod public_values;
mod wrap;

pub use backend::{Claim, MockBackend, ProofSystem, StarkBackend};
pub use client::{ProveRequest, ProverClient, ProverClientBuilder};
pub use envelope::{BackendId, ENVELOPE_VERSION, GeodeProof, MAX_ENVELOPE_BYTES, PROOF_MAGIC};
pub use error::SdkError;
pub use geode_executor::{CodecError, ExecError, Program, Stdin};
pub use geode_machine::{MAX_PROVABLE_CYCLES, MachineError};
pub use keys::{ProgramSource, ProvingKey, VerifyingKey, VkDigest};
pub use public_values::{ExecutionReport, PublicValues};
pub use wrap::{WrapBackend, WrappedProof};

/// The ELF of guest `name`, embedded at compile time: a `&'static [u8; N]`.
///
/// The host crate's build script builds the guest with `geode_build::build_program`, which sets
/// the variable `GEODE_ELF_<name>` to the ELF's path for this crate's compilation; this macro is
/// `include_bytes!` of that path. `name` is the guest's package name.
///
/// ```ignore
/// // build.rs (with geode-build as a build-dependency)
/// fn main() {
///     geode_build::build_program("../guest-programs/fibonacci").unwrap_or_else(|e| panic!("{e}"));
/// }
///
/// // src/main.rs
/// const FIBONACCI_ELF: &[u8] = geode_sdk::include_elf!("fibonacci");
/// ```
#[macro_export]
macro_rules! include_elf {
    ($name:literal) => {
        include_bytes!(env!(
            concat!("GEODE_ELF_", $name),
            concat!(
                "no ELF for guest `",
                $name,
                "`: call geode_build::build_program(\"<path to the guest crate>\") in this \
                 crate's build.rs"
            )
        ))
    };
}
