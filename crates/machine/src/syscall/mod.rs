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

use crate::bus::GeodeBus;
use crate::byte_counter::ByteCounter;
use crate::memory::access::{MemoryAccessCols, eval_read, populate_access};

/// What every syscall chip does on the row that handles an `ecall`: receives
/// `(clk, id, a0, result)` (the id as a word) and reads `a1` and `a2` at the cycle's memory
/// slot, all with multiplicity `count`. Returns that slot's timestamp.
#[expect(
    clippy::too_many_arguments,
    reason = "the message's fields and the two register ports"
)]
pub fn eval_entry<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    clk: AB::Expr,
    id: AB::Expr,
    a0: &[AB::Expr; 4],
    result: &[AB::Expr; 4],
    a1_access: &MemoryAccessCols<AB::Var>,
    a2_access: &MemoryAccessCols<AB::Var>,
    count: AB::Expr,
) -> AB::Expr {
    let mut message = vec![
        clk.clone(),
        id,
        AB::Expr::ZERO,
        AB::Expr::ZERO,
        AB::Expr::ZERO,
    ];
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
