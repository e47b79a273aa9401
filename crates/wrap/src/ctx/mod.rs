//! The flat circuit builder (see the crate docs).
