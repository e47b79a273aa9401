#![doc = include_str!("../README.md")]
#![no_std]

extern crate alloc;

mod builder;
mod bus;
mod challenges;
mod count;
pub mod debug_util;
mod hoisted;
pub mod indexed;
pub mod logup;
pub mod protocol;
pub mod symbolic;
#[cfg(test)]
mod tests;
pub mod traits;
mod types;

pub use builder::{
    IndexedLookupBuilder, InteractionBuilder, LocalTuple, SymbolicInteraction,
    SymbolicLocalInteraction,
};
pub use bus::{LookupBus, PermutationCheckBus};
pub use challenges::Challenges;
pub use count::Count;
pub use hoisted::HoistedLogUp;
pub use indexed::{IndexedLookupError, IndexedLookups, IndexedRead, IndexedTable, TraceWindow};
pub use logup::LogUpGadget;
pub use protocol::LookupProtocol;
pub use symbolic::InteractionSymbolicBuilder;
pub use types::*;
