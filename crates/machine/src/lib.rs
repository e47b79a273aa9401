//! Geode's RISC-V machine: the chips that prove an RV32IM execution, and the machine that turns
//! an execution record into traces and a STARK proof. The only crate where events meet AIRs.
//! The contract between chips is `docs/machine-design.md`.

pub mod alu;
pub mod bus;
pub mod byte;
pub mod byte_counter;
mod chips;
pub mod cpu;
mod error;
pub mod keccak;
pub mod load_store;
mod machine;
pub mod memory;
pub mod program;
pub mod secp256k1;
pub mod syscall;
pub mod uint256;
pub mod word_io;

pub use chips::RiscvChip;
pub use error::MachineError;
pub use machine::{MAX_PROVABLE_CYCLES, MachineTraces, RiscvMachine};
