//! The memory access gadget: the columns and constraints of one access to one address, used by
//! every chip that reads or writes a register or a word of RAM.
//!
//! # Soundness
//! An access with multiplicity `count` (0 or 1, constrained by the caller) receives
//! `(addr, prev_value, prev_ts)` and sends `(addr, value, ts)` on `Memory`, and proves
//! `ts − prev_ts − 1 = diff_lo + 2^16·diff_hi` with `diff_lo < 2^16` (`ByteOp::U16`) and
//! `diff_hi < 2^8` (`ByteOp::Pair` with 0), i.e. `ts − prev_ts − 1 ∈ [0, 2^24)` in the field.
//!
//! That is `ts > prev_ts` as integers, not just mod p. Every timestamp a chip sends is 0 (init,
//! image) or `4·clk + slot` with `clk` at most the CPU's height (≤ 2^22), so below 2^24 + 4; on a
//! balanced bus the received `prev_ts` equals one of them. Their integer difference minus one is
//! then above `−2^24 − 5`, and a negative one is the field element `p − k` with `k ≤ 2^24 + 4`,
//! far above 2^24 (p ≈ 2^31), which no decomposition reaches. (Soundness would hold for any
//! timestamps below `p − 2^24`; the tighter contract bound, `MAX_PROVABLE_CYCLES = 2^22 − 2` so
//! every timestamp is below 2^24, is what makes every honest gap fit in 24 bits.) This is what
//! rules out cycles in an address's chain of accesses.
//!
//! The `_leaving_hi` variants leave `diff_hi`'s lookup to the caller, which must show it a byte
//! wherever `count` is 1: the CPU checks its two reads' in one `Pair(rs1.diff_hi, rs2.diff_hi)`
//! on every real row (an unused port's cells are 0 then), one LogUp interaction fewer.
//!
//! Not checked here: the bytes of `value`. Whoever creates a value (the ALU result, the store's
//! merged word, the syscall's output) range-checks its bytes; `prev_value` needs no check, as it
//! equals a value some other chip sent (or an init/image word).

use geode_stark::{Bus, Val, columns};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use super::word_bytes;
use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::byte_counter::ByteCounter;

/// Every timestamp is below this: `MAX_PROVABLE_CYCLES = 2^22 − 2` cycles of four timestamps.
pub const TIMESTAMP_BOUND: u32 = 1 << 24;

columns! {
    /// The witness of one memory access: the state it found, and the timestamp gap's limbs.
    pub struct MemoryAccessCols<T> {
        /// Timestamp of the previous access to the address (0: its initial value).
        pub prev_ts: T,
        /// The word found there, little-endian bytes.
        pub prev_value: [T; 4],
        /// Bits 0..16 of `ts − prev_ts − 1`.
        pub diff_lo: T,
        /// Bits 16..24 of `ts − prev_ts − 1`.
        pub diff_hi: T,
    }
}

/// Receives `(addr, prev_value, prev_ts)` and sends `(addr, value, ts)` on `GeodeBus::Memory`
/// with multiplicity `count`, and proves `ts − prev_ts − 1 = diff_lo + 2^16·diff_hi` with
/// `diff_lo` via `ByteOp::U16` and `diff_hi` a byte (`ByteOp::Pair` with 0): `ts > prev_ts` and
/// `ts − prev_ts ≤ 2^24` (see the module's Soundness section for why this cannot wrap mod p).
///
/// `count` must be constrained to 0 or 1 by the caller. Where it is 0 the columns are free and
/// nothing is sent, so an unused port can be all zeros. The bytes of `value` are not
/// range-checked here: the chip that creates the value does that.
pub fn eval_access<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &MemoryAccessCols<AB::Var>,
    addr: AB::Expr,
    value: [AB::Expr; 4],
    ts: AB::Expr,
    count: AB::Expr,
) {
    eval_access_leaving_hi(builder, cols, addr, value, ts, count.clone());
    byte_lookup(
        builder,
        ByteOp::Pair,
        cols.diff_hi.into(),
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        count,
    );
}

/// [`eval_access`] without the lookup of `diff_hi`, which the caller must show a byte on every
/// row where `count` is 1 (the CPU pairs two ports' in one `Pair` lookup).
pub fn eval_access_leaving_hi<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &MemoryAccessCols<AB::Var>,
    addr: AB::Expr,
    value: [AB::Expr; 4],
    ts: AB::Expr,
    count: AB::Expr,
) {
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let prev_ts = e(cols.prev_ts);
    let diff = e(cols.diff_lo) + e(cols.diff_hi) * AB::Expr::from_u32(1 << 16);
    builder
        .when(count.clone())
        .assert_eq(ts.clone() - prev_ts.clone() - AB::Expr::ONE, diff);
    byte_lookup(
        builder,
        ByteOp::U16,
        e(cols.diff_lo),
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        count.clone(),
    );

    let mut found = vec![addr.clone()];
    found.extend(cols.prev_value.map(e));
    found.push(prev_ts);
    GeodeBus::Memory.receive(builder, found, count.clone(), 1);
    let mut left = vec![addr];
    left.extend(value);
    left.push(ts);
    GeodeBus::Memory.send(builder, left, count, 1);
}

/// A read: [`eval_access`] that leaves the value it found (`value = prev_value`).
pub fn eval_read<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &MemoryAccessCols<AB::Var>,
    addr: AB::Expr,
    ts: AB::Expr,
    count: AB::Expr,
) {
    let value = cols.prev_value.map(Into::into);
    eval_access(builder, cols, addr, value, ts, count);
}

/// Fills the columns of an access at `ts` that found `prev_value` written at `prev_ts`, and
/// records its two byte lookups in `bytes`.
///
/// # Panics
/// Unless `prev_ts < ts < 2^24`: the record is not provable (the machine rejects runs longer than
/// `MAX_PROVABLE_CYCLES` before generating traces, so this is a bug in the caller).
pub fn populate_access(
    cols: &mut MemoryAccessCols<Val>,
    prev_value: u32,
    prev_ts: u32,
    ts: u32,
    bytes: &ByteCounter,
) {
    let hi = populate_access_leaving_hi(cols, prev_value, prev_ts, ts, bytes);
    bytes.pair(hi, 0);
}

/// [`populate_access`] without counting the lookup of `diff_hi`, which it returns (for
/// [`eval_access_leaving_hi`]).
///
/// # Panics
/// As [`populate_access`].
pub fn populate_access_leaving_hi(
    cols: &mut MemoryAccessCols<Val>,
    prev_value: u32,
    prev_ts: u32,
    ts: u32,
    bytes: &ByteCounter,
) -> u8 {
    assert!(
        prev_ts < ts && ts < TIMESTAMP_BOUND,
        "access at timestamp {ts} after {prev_ts} is not provable"
    );
    let diff = ts - prev_ts - 1;
    let (lo, hi) = (diff as u16, (diff >> 16) as u8);
    cols.prev_ts = Val::from_u32(prev_ts);
    cols.prev_value = word_bytes(prev_value);
    cols.diff_lo = Val::from_u16(lo);
    cols.diff_hi = Val::from_u8(hi);
    bytes.u16(lo);
    hi
}
