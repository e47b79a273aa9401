//! The load-store chip: one row per load or store (LB, LH, LW, LBU, LHU, SB, SH, SW).
//!
//! The CPU hands each load and store to this chip on
//! [`GeodeBus::LoadStore`](crate::bus::GeodeBus::LoadStore) as
//! `(clk, opcode, rd_is_x0, b, imm, c, a)`. The chip computes the address `b + imm` itself,
//! checks its alignment and that its word is RAM, makes the one access to that word
//! at the cycle's memory slot, and proves that `a` is the selected byte, half or word, extended
//! (loads), or that the word left behind is the old one with `c`'s low bytes merged in (stores).

mod air;
pub mod columns;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod trace;

use geode_executor::Opcode;
use geode_executor::record::MemoryEvent;
use geode_stark::{Chip, Val};
use p3_air::{Air, AirBuilder, BaseAir};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

pub use self::columns::LoadStoreCols;
pub use self::trace::events_from_record;
use crate::byte_counter::ByteCounter;

/// One executed load or store, as the CPU sends it and as memory saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadStoreEvent {
    /// The cycle.
    pub clk: u32,
    /// One of [`LoadStoreChip::OPCODES`].
    pub opcode: Opcode,
    /// The load's destination is `x0` (always false for stores).
    pub rd_is_x0: bool,
    /// `rs1`.
    pub b: u32,
    /// The sign-extended immediate.
    pub imm: u32,
    /// The CPU's `rs2` port: the store data (0 for loads, which do not read `rs2`).
    pub c: u32,
    /// The CPU's `rd` value: the load result (0 into `x0`, and 0 for stores).
    pub a: u32,
    /// The access to the word at `(b + imm) & !3`, at `timestamp(clk, SLOT_MEM)`.
    pub memory: MemoryEvent,
}

/// Proves loads and stores.
///
/// # Soundness
/// On every row with `is_real = Σ flags = 1` (the eight opcode flags boolean, so exactly one is
/// set), receives `(clk, opcode, rd_is_x0, b, imm, c, a)` on `LoadStore` with
/// `opcode = Σ flag·(Opcode as u8)`, and proves:
///
/// - **Address.** `addr = b + imm mod 2^32` by 16-bit halves with boolean carries, `addr`'s bytes
///   checked (`Pair(addr[0], addr[1])`, `Pair(addr[2], addr[3])`); `b` and `imm` are bytes (a
///   register's and the program table's, as the CPU sends them), so the halves' equations hold
///   over the integers. `addr[0] = 4·quarter + offset` with `offset = Σ k·offset_is[k]` (one-hot, boolean, summing
///   to `is_real`) and `Pair(quarter, 8·addr[3])`: `quarter` is a byte, so, as `addr[0]` is a
///   byte, `quarter < 64` and `offset = addr mod 4` over the integers; and `addr[3] < 32`.
/// - **Alignment.** LW and SW have `offset = 0`; LH, LHU and SH have an even offset.
/// - **RAM only.** The word address `w = 4·quarter + 256·addr[1] + 2^16·hi` with
///   `hi = addr[2] + 256·addr[3]` has `U16(hi − 1)`, so `hi ≥ 1` (`hi = 0` gives `p − 1`), and
///   `hi < 2^13` from `addr[3] < 32`: `0x1_0000 ≤ w < 2^29`, a word-aligned RAM address, never a
///   register (registers live at addresses 0..32 in the same address space) nor any other word
///   of the null guard, and no field wrap-around.
/// - **The access.** One [`eval_access`](crate::memory::access::eval_access) at `w`, timestamp
///   `4·clk + 2`, count `is_real`: it receives the word `prev` and sends `value`. Loads have
///   `value = prev` (a read).
/// - **Loads.** `byte_lo = prev[offset]`, `byte_hi` = `prev[offset + 1]` for even offsets (0 for
///   odd ones, which only LB and LBU may have) or, for LB, `byte_lo`; `Msb(byte_hi, sign)` on LB
///   and LH rows. Unless `rd_is_x0`: `a = [byte_lo, byte_hi, prev[2], prev[3]]` for LW,
///   `[byte_lo, byte_hi, 0, 0]` for LHU, `[byte_lo, 0, 0, 0]` for LBU, and the sign bytes
///   `255·sign` in place of the zeros for LH and LB. `a`'s bytes are bytes because they are bytes
///   of `prev` (range-checked by whoever wrote that word) or `0`/`255`. With `rd_is_x0` the CPU
///   sends `a = 0` and writes nothing.
/// - **Stores.** Byte `k` of `value` is `c[0]` (SB at offset `k`), `c[k mod 2]` (SH whose half
///   holds `k`), `c[k]` (SW), and `prev[k]` otherwise: the bytes are `c`'s (the register's,
///   range-checked when it was written) or `prev`'s, so `value` needs no range check.
///
/// `a` on store rows and `c` on load rows are not constrained: the CPU leaves those ports unused.
/// Padding rows (`is_real = 0`) send, receive and look up nothing, and satisfy every constraint
/// as all zeros. Every constraint has degree at most 3 and every message is linear. Assumes the
/// byte table, the add-sub chip and the memory argument are sound.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadStoreChip;

impl LoadStoreChip {
    /// The opcodes this chip proves, in the order of the flag columns.
    pub const OPCODES: [Opcode; 8] = [
        Opcode::Lb,
        Opcode::Lh,
        Opcode::Lw,
        Opcode::Lbu,
        Opcode::Lhu,
        Opcode::Sb,
        Opcode::Sh,
        Opcode::Sw,
    ];

    /// One row per event (padded to a power of two, at least 2 rows), counting its byte
    /// lookups in `counter`.
    ///
    /// Values are written as the events claim (a false loaded value or merged word gives a
    /// trace the constraints reject).
    ///
    /// # Panics
    /// If an event has no row shape: another opcode, a misaligned or non-RAM address, or an
    /// access at another word or cycle ([`events_from_record`] returns these as errors).
    pub fn generate_trace(
        &self,
        events: &[LoadStoreEvent],
        counter: &ByteCounter,
    ) -> RowMajorMatrix<Val> {
        trace::generate_trace(events, counter)
    }
}

impl BaseAir<Val> for LoadStoreChip {
    fn width(&self) -> usize {
        LoadStoreCols::<u8>::NUM_COLS
    }

    // Every constraint reads only its own row.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for LoadStoreChip {
    fn eval(&self, builder: &mut AB) {
        air::eval(builder);
    }
}

impl Chip<Val> for LoadStoreChip {
    fn name(&self) -> &'static str {
        "load_store"
    }

    fn column_names(&self) -> Vec<String> {
        LoadStoreCols::<u8>::names()
    }
}
