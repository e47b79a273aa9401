//! Test support, public so integration tests, benches and tools can share it: a small machine
//! that exercises every feature the wrap circuit must verify ([`fixture`]), and a transcript
//! that records what the native verifier absorbs and samples ([`recording`]).

pub mod fixture;
pub mod recording;
