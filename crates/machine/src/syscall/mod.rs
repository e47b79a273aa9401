//! Syscall chips. Each receives the `ecall`s of its ids on the Syscall bus and, like the
//! executor, reads `a1` and `a2` itself at the memory slot.

pub mod halt;
pub mod hint_read;
pub mod misc;

use geode_executor::record::{SLOT_MEM, SyscallEvent, timestamp};
use geode_platform::reg;
use geode_stark::{Bus, Val};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use crate::bus::{ByteOp, GeodeBus, byte_lookup};
use crate::byte_counter::ByteCounter;
use crate::memory::access::{MemoryAccessCols, eval_read, populate_access};

/// What every syscall chip does on the row that handles an `ecall`: receives
/// `(clk, id, a0, result)` (the id as a word: `id` is its low byte, `id_hi` its second, the top
/// two are 0) and reads `a1` and `a2` at the cycle's memory slot, all with multiplicity
/// `count`. Returns that slot's timestamp.
#[expect(
    clippy::too_many_arguments,
    reason = "the message's fields and the two register ports"
)]
pub fn eval_entry<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    clk: AB::Expr,
    [id, id_hi]: [AB::Expr; 2],
    a0: &[AB::Expr; 4],
    result: &[AB::Expr; 4],
    a1_access: &MemoryAccessCols<AB::Var>,
    a2_access: &MemoryAccessCols<AB::Var>,
    count: AB::Expr,
) -> AB::Expr {
    let mut message = vec![clk.clone(), id, id_hi, AB::Expr::ZERO, AB::Expr::ZERO];
    message.extend(a0.iter().cloned().chain(result.iter().cloned()));
    GeodeBus::Syscall.receive(builder, message, count.clone(), 1);
    let ts = clk * AB::Expr::from_u8(4) + AB::Expr::TWO;
    eval_read(
        builder,
        a1_access,
        AB::Expr::from_usize(reg::A1),
        ts.clone(),
        count.clone(),
    );
    eval_read(
        builder,
        a2_access,
        AB::Expr::from_usize(reg::A2),
        ts.clone(),
        count,
    );
    ts
}

/// Fills the `a1`/`a2` reads of [`eval_entry`] for `call`; returns the memory slot's timestamp.
pub fn populate_entry(
    a1_access: &mut MemoryAccessCols<Val>,
    a2_access: &mut MemoryAccessCols<Val>,
    call: &SyscallEvent,
    counter: &ByteCounter,
) -> u32 {
    let ts = timestamp(call.clk, SLOT_MEM);
    populate_access(a1_access, call.arg1.value, call.arg1.prev_ts, ts, counter);
    populate_access(a2_access, call.arg2.value, call.arg2.prev_ts, ts, counter);
    ts
}

/// Proves the word `a0` (bytes, as the CPU sent them) a word-aligned RAM address: `a0 = 4·q +
/// 2^16·hi` with `q = quarter < 64` and `1 ≤ hi < 2^13`, so `0x10000 ≤ a0 < 2^29` (registers and
/// the guard page cannot be reached) and aligned; four lookups with multiplicity `count`.
pub fn eval_ram_pointer<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    a0: &[AB::Expr; 4],
    quarter: AB::Expr,
    count: AB::Expr,
) {
    builder.assert_zero(count.clone() * (a0[0].clone() - quarter.clone() * AB::Expr::from_u8(4)));
    byte_lookup(
        builder,
        ByteOp::Pair,
        quarter.clone(),
        quarter * AB::Expr::from_u8(4),
        AB::Expr::ZERO,
        count.clone(),
    );
    let hi = a0[2].clone() + a0[3].clone() * AB::Expr::from_u16(256);
    byte_lookup(
        builder,
        ByteOp::U16,
        hi.clone() - AB::Expr::ONE,
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        count.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::U16,
        hi * AB::Expr::from_u8(8),
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        count.clone(),
    );
    byte_lookup(
        builder,
        ByteOp::Pair,
        a0[1].clone(),
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        count,
    );
}

/// Counts the lookups of [`eval_ram_pointer`] for `a0`; returns `quarter`.
pub fn populate_ram_pointer(a0: u32, counter: &ByteCounter) -> Val {
    let [p0, p1, p2, p3] = a0.to_le_bytes();
    let hi = u32::from(u16::from_le_bytes([p2, p3]));
    counter.add(ByteOp::Pair, [u32::from(p0 / 4), u32::from(p0 / 4) * 4, 0]);
    counter.add(ByteOp::U16, [hi.wrapping_sub(1), 0, 0]);
    counter.add(ByteOp::U16, [hi * 8, 0, 0]);
    counter.pair(p1, 0);
    Val::from_u8(p0 / 4)
}

/// The row structure of a chip that spends several rows on one call: `is_real` and `is_first`
/// boolean, a first row is real, real rows come first, and the first real row starts a call.
/// (The chip chains its continuations itself.)
pub fn eval_call_rows<AB: AirBuilder<F = Val>>(
    builder: &mut AB,
    is_real: AB::Var,
    is_first: AB::Var,
    next_is_real: AB::Var,
) {
    let one = AB::Expr::ONE;
    let real: AB::Expr = is_real.into();
    builder.assert_bool(is_real);
    builder.assert_bool(is_first);
    builder.assert_zero(is_first.into() * (one.clone() - real.clone()));
    builder
        .when_transition()
        .assert_zero(next_is_real.into() * (one - real));
    builder.when_first_row().assert_eq(is_first, is_real);
}
