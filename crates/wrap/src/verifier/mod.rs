//! The verifier stages the circuit is made of, each written once over a backend trait so the
//! same code runs natively (and is checked against Plonky3's verifier) and in the circuit.

pub mod backend;
pub mod circuit;
pub mod digest;
pub mod fri;
pub mod merkle;
pub mod native;
pub mod ood;
pub mod openings;
pub mod proof;
pub mod run;
pub mod shape;
pub mod transcript;

#[cfg(test)]
mod tests;
