//! The `ecall` entry of a 256-bit precompile whose operands sit at `a0` and `a1`: shared columns
//! and constraints of the secp256k1 and mulmod chips.
//!
//! # Soundness
//! With multiplicity `count`, receives the `ecall` `(clk, id, a0, a0)` (the result register is
//! left as it was), reads `a1` and `a2` at the call's memory slot, and proves `a0` a word-aligned
//! RAM address; with multiplicity `a1_count` also `a1` (see
//! [`eval_ram_pointer`](crate::syscall::eval_ram_pointer)).

use geode_executor::record::SyscallEvent;
use geode_stark::{Val, columns};
use p3_air::AirBuilder;
use p3_field::PrimeCharacteristicRing;
use p3_lookup::InteractionBuilder;

use crate::byte_counter::ByteCounter;
use crate::memory::access::MemoryAccessCols;
use crate::memory::word_of_bytes;
use crate::syscall::{eval_entry, eval_ram_pointer, populate_entry, populate_ram_pointer};

columns! {
    /// The call: its cycle, its pointers and the register reads every `ecall` makes.
    pub struct PointerEntryCols<T> {
        pub clk: T,
        /// `a0` (the first operand's pointer, also the result register) and its low byte over 4.
        pub a0: [T; 4],
        pub a0_quarter: T,
        /// The low byte over 4 of `a1` (read by `a1_access`), when `a1` is a pointer.
        pub a1_quarter: T,
        pub a1_access: MemoryAccessCols<T>,
        pub a2_access: MemoryAccessCols<T>,
    }
}

/// Constrains the entry of [`PointerEntryCols`] with syscall id bytes `id`; returns the pointers
/// `a0` and `a1` as words.
pub fn eval_pointer_entry<AB: AirBuilder<F = Val> + InteractionBuilder>(
    builder: &mut AB,
    cols: &PointerEntryCols<AB::Var>,
    id: [AB::Expr; 2],
    count: AB::Expr,
    a1_count: AB::Expr,
) -> [AB::Expr; 2] {
    let e = |v: AB::Var| -> AB::Expr { v.into() };
    let a0 = cols.a0.map(e);
    let a1 = cols.a1_access.prev_value.map(e);
    eval_entry(
        builder,
        e(cols.clk),
        id,
        &a0,
        &a0,
        &cols.a1_access,
        &cols.a2_access,
        count.clone(),
    );
    eval_ram_pointer(builder, &a0, e(cols.a0_quarter), count);
    eval_ram_pointer(builder, &a1, e(cols.a1_quarter), a1_count);
    [word_of_bytes(&a0), word_of_bytes(&a1)]
}

/// Fills [`PointerEntryCols`] for `call` (with `a1` a pointer if `a1_is_pointer`) and counts its
/// lookups.
pub fn populate_pointer_entry(
    cols: &mut PointerEntryCols<Val>,
    call: &SyscallEvent,
    a1_is_pointer: bool,
    counter: &ByteCounter,
) {
    cols.clk = Val::from_u32(call.clk);
    cols.a0 = call.arg0.to_le_bytes().map(Val::from_u8);
    cols.a0_quarter = populate_ram_pointer(call.arg0, counter);
    if a1_is_pointer {
        cols.a1_quarter = populate_ram_pointer(call.arg1.value, counter);
    }
    populate_entry(&mut cols.a1_access, &mut cols.a2_access, call, counter);
}
