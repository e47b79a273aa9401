//! The chip abstraction and typed buses.

use p3_air::BaseAir;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder};

/// A chip: an AIR with a stable name and named columns. Trace generation lives with the events
/// it reads (in `geode-machine`), so this crate never sees what a chip is about.
pub trait Chip<F>: BaseAir<F> {
    /// Short, stable name (used in proofs, errors and reports).
    fn name(&self) -> &'static str;
    /// One name per main-trace column, in order.
    fn column_names(&self) -> Vec<String>;
}

/// A bus: a named LogUp channel between chips. Implemented by one enum of all buses, so a typo
/// cannot create a new, unbalanced bus.
///
/// # Soundness
/// LogUp proves that, over all chips, every message is sent exactly as many times as it is
/// received (with multiplicities), except with probability about
/// `(total interactions) / |challenge field|` per bus, given that every multiplicity is
/// constrained to the bound declared with it.
pub trait Bus: Copy {
    /// The bus's name, shared by every chip on it.
    fn name(self) -> &'static str;

    /// The message as the bus carries it. A bus that several kinds of message share tags and
    /// pads them here (every message on one LogUp bus has one width); by default the fields
    /// themselves. Every method below sends what this yields. Lazy, because the prover's
    /// constraint folder drops every message unread on every row.
    fn frame<E: PrimeCharacteristicRing>(
        self,
        fields: impl IntoIterator<Item = E>,
    ) -> impl Iterator<Item = E> {
        fields.into_iter()
    }

    /// Sends `message` with multiplicity `count` (a value the AIR constrains to be 0 or 1, or
    /// at most `bound`).
    fn send<AB: InteractionBuilder>(
        self,
        builder: &mut AB,
        message: impl IntoIterator<Item = AB::Expr>,
        count: AB::Expr,
        bound: u32,
    ) {
        builder.push_interaction(
            self.name(),
            self.frame(message),
            Count::bounded(count, bound),
        );
    }

    /// Receives `message` with multiplicity `count` (see [`Bus::send`]).
    fn receive<AB: InteractionBuilder>(
        self,
        builder: &mut AB,
        message: impl IntoIterator<Item = AB::Expr>,
        count: AB::Expr,
        bound: u32,
    ) {
        builder.push_interaction(
            self.name(),
            self.frame(message),
            Count::bounded(-count, bound),
        );
    }

    /// Sends at most one of `branches` per row, all in one LogUp column: each branch is
    /// `(flag, message, count)` and sends `message` with multiplicity `count` (bounded by
    /// `bound`) on the rows where `flag` is 1. The messages must have one length.
    ///
    /// # Soundness
    /// The flags must be boolean and at most one of them 1 on any row, which the caller's AIR
    /// must enforce (or take from a table that does); otherwise the shared column's fraction
    /// matches no single message.
    fn send_exclusive<AB: InteractionBuilder>(
        self,
        builder: &mut AB,
        branches: impl IntoIterator<Item = (AB::Expr, Vec<AB::Expr>, AB::Expr)>,
        bound: u32,
    ) {
        builder.push_exclusive_interaction(
            self.name(),
            branches.into_iter().map(|(flag, message, count)| {
                (
                    flag,
                    Count::bounded(count, bound),
                    self.frame(message).collect(),
                )
            }),
        );
    }

    /// Provides table entries with multiplicity `count` (the looked-up side of a lookup, whose
    /// multiplicity is a trace column and needs no per-row bound).
    fn provide<AB: InteractionBuilder>(
        self,
        builder: &mut AB,
        entry: impl IntoIterator<Item = AB::Expr>,
        count: AB::Expr,
    ) {
        builder.push_interaction(self.name(), self.frame(entry), Count::provided(-count));
    }
}
