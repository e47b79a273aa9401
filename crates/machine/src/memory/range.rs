//! Proving a value below 2^29 (an address, or the gap between two addresses) as a U16 limb and
//! a 13-bit limb, with three byte-table lookups.

use geode_stark::Val;
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use crate::bus::{ByteOp, byte_lookup};
use crate::byte_counter::ByteCounter;

/// The bound: every address is below it (`geode_platform::memory::MEMORY_TOP`).
pub(crate) const BOUND_BITS: u32 = 29;

/// Proves `lo < 2^16` and `hi < 2^13` where `count` is 1, so that `lo + 2^16·hi < 2^29`.
///
/// `hi < 2^13` takes two lookups: `hi < 2^16` first, so that `8·hi < 2^19` is computed without
/// wrapping mod p, then `8·hi < 2^16`. (A single `8·hi < 2^16` would also accept the field
/// elements `u/8 mod p` for the `u` not divisible by 8, which are huge.)
pub(crate) fn eval_below_2_29<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    lo: AB::Var,
    hi: AB::Var,
    count: AB::Expr,
) {
    let zero = || AB::Expr::ZERO;
    let hi_shifted = hi.into() * AB::Expr::from_u8(8);
    for limb in [lo.into(), hi.into(), hi_shifted] {
        byte_lookup(builder, ByteOp::U16, limb, zero(), zero(), count.clone());
    }
}

/// The limbs `(lo, hi)` of `value < 2^29`, recording their three lookups in `bytes`.
///
/// # Panics
/// If `value` is not below 2^29.
pub(crate) fn populate_below_2_29(value: u32, bytes: &ByteCounter) -> (Val, Val) {
    assert!(value < 1 << BOUND_BITS, "{value:#x} is not below 2^29");
    let (lo, hi) = (value as u16, (value >> 16) as u16);
    bytes.u16(lo);
    bytes.u16(hi);
    bytes.u16(hi << 3);
    (Val::from_u16(lo), Val::from_u16(hi))
}
