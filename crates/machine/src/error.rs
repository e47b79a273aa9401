//! The machine's errors.

use geode_executor::ExecError;
use geode_stark::StarkError;

/// Why a run could not be proven or a proof not verified.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MachineError {
    /// The guest faulted (or hit a limit) while executing for the proof.
    #[error("execution failed: {0}")]
    Exec(#[from] ExecError),
    /// The run uses something no chip proves yet: refusing beats a bogus proof.
    #[error("not provable yet: the run uses {what}, which has no chip yet")]
    NotProvable {
        /// What is missing.
        what: String,
    },
    /// Too many cycles for one proof.
    #[error("the run takes {cycles} cycles; one proof covers at most {max}")]
    TooLong {
        /// Cycles of the run.
        cycles: u64,
        /// The limit.
        max: u64,
    },
    /// The execution record has a shape no trace can hold (an executor bug or a forged record).
    #[error("invalid execution record: {0}")]
    InvalidRecord(String),
    /// The proof names a chip set this program's verifying key does not allow.
    #[error("proof's chip set rejected: {0}")]
    ChipSet(String),
    /// Proving or verifying failed in the STARK layer.
    #[error(transparent)]
    Stark(#[from] StarkError),
}
