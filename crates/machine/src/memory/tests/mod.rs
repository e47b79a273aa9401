//! Tests of the access gadget, of `memory_tables`, and of the memory chips together.

mod access;
mod machine;
mod tables;
