//! Load-store events from an execution record, and rows from events.

use geode_executor::record::{SLOT_MEM, timestamp};
use geode_executor::{ExecutionRecord, Opcode, Program};
use geode_platform::memory::{GUARD_END, MEMORY_TOP};
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::columns::LoadStoreCols;
use super::{LoadStoreChip, LoadStoreEvent};
use crate::alu::carries_by_halves;
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;
use crate::memory::access::populate_access;
use crate::memory::{padded_height, word_bytes};

/// The load-store events of a run: one per executed load or store, in execution order, each
/// paired with its cycle's memory access.
///
/// # Errors
/// If the record's shape contradicts the program: a CPU event's pc outside the text, a load or
/// store without exactly one memory access in its cycle, or at an address it cannot have
/// (executor bugs or a forged record, never guest behaviour). Wrong *values* are not checked
/// here: they are written as claimed, and the constraints reject them.
pub fn events_from_record(
    program: &Program,
    record: &ExecutionRecord,
) -> Result<Vec<LoadStoreEvent>, String> {
    let text = program.instructions();
    let mut memory = record.memory.iter().peekable();
    let mut events = Vec::new();
    for cpu in &record.cpu {
        let index = cpu.pc.wrapping_sub(program.text_start()) / 4;
        let insn = text
            .get(index as usize)
            .ok_or_else(|| format!("cycle {} runs pc {:#x} outside the text", cpu.clk, cpu.pc))?;
        if !(insn.opcode.is_load() || insn.opcode.is_store()) {
            continue;
        }
        // Memory events are in execution order; earlier ones belong to syscalls.
        while memory.next_if(|m| m.clk < cpu.clk).is_some() {}
        let access = memory.next_if(|m| m.clk == cpu.clk).ok_or_else(|| {
            format!(
                "the {} of cycle {} has no memory access",
                insn.opcode, cpu.clk
            )
        })?;
        if memory.peek().is_some_and(|m| m.clk == cpu.clk) {
            return Err(format!(
                "the {} of cycle {} has two memory accesses",
                insn.opcode, cpu.clk
            ));
        }
        let event = LoadStoreEvent {
            clk: cpu.clk,
            opcode: insn.opcode,
            rd_is_x0: insn.opcode.writes_rd() && insn.rd == 0,
            b: cpu.b,
            imm: insn.imm,
            c: cpu.c,
            a: cpu.a,
            memory: *access,
        };
        check_shape(&event).map_err(|why| format!("cycle {}: {why}", cpu.clk))?;
        events.push(event);
    }
    Ok(events)
}

/// The load-store trace (see [`LoadStoreChip::generate_trace`]).
pub(super) fn generate_trace(
    events: &[LoadStoreEvent],
    counter: &ByteCounter,
) -> RowMajorMatrix<Val> {
    let width = LoadStoreCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(padded_height(events.len()) * width);
    values[..events.len() * width]
        .par_chunks_mut(width)
        .zip(events.par_iter())
        .for_each(|(row, event)| {
            if let Err(why) = check_shape(event) {
                panic!("not a load or store the chip can hold ({why}): {event:?}");
            }
            fill(LoadStoreCols::from_slice_mut(row), event, counter);
            count_lookups(event, counter);
        });
    RowMajorMatrix::new(values, width)
}

/// Bytes an access of `op` moves.
pub(super) fn size(op: Opcode) -> u32 {
    match op {
        Opcode::Lb | Opcode::Lbu | Opcode::Sb => 1,
        Opcode::Lh | Opcode::Lhu | Opcode::Sh => 2,
        _ => 4,
    }
}

/// What a row needs to exist at all: a load or store opcode, an aligned address in RAM, and
/// its cycle's access at that word. Values are not checked (see [`events_from_record`]).
fn check_shape(e: &LoadStoreEvent) -> Result<(), String> {
    let op = e.opcode;
    if !LoadStoreChip::OPCODES.contains(&op) {
        return Err(format!("load_store does not prove {op:?}"));
    }
    let addr = e.b.wrapping_add(e.imm);
    let word = addr & !3;
    let m = &e.memory;
    if !addr.is_multiple_of(size(op)) {
        return Err(format!("misaligned address {addr:#x}"));
    }
    if !(GUARD_END..MEMORY_TOP).contains(&word) {
        return Err(format!("address {addr:#x} outside RAM"));
    }
    if m.addr != word || m.clk != e.clk {
        return Err("the access is not at the word of this cycle".into());
    }
    Ok(())
}

/// Fills `cols` from `e` and counts the memory access's byte lookups: the witness trace
/// generation gives `e` (a true one only if `e` is valid).
pub(super) fn fill(cols: &mut LoadStoreCols<Val>, e: &LoadStoreEvent, counter: &ByteCounter) {
    let addr = e.b.wrapping_add(e.imm);
    let [addr0, addr1, addr2, addr3] = addr.to_le_bytes();
    let offset = usize::from(addr0 & 3);
    let quarter = addr0 >> 2;
    let op = e.opcode;
    let prev = e.memory.prev_value.to_le_bytes();

    cols.clk = Val::from_u32(e.clk);
    for (flag, &candidate) in [
        &mut cols.is_lb,
        &mut cols.is_lh,
        &mut cols.is_lw,
        &mut cols.is_lbu,
        &mut cols.is_lhu,
        &mut cols.is_sb,
        &mut cols.is_sh,
        &mut cols.is_sw,
    ]
    .into_iter()
    .zip(&LoadStoreChip::OPCODES)
    {
        *flag = Val::from_bool(op == candidate);
    }
    cols.rd_is_x0 = Val::from_bool(e.rd_is_x0);
    cols.b = word_bytes(e.b);
    cols.imm = word_bytes(e.imm);
    cols.c = word_bytes(e.c);
    cols.a = word_bytes(e.a);
    cols.addr_hi = [addr1, addr2, addr3].map(Val::from_u8);
    cols.carry = carries_by_halves(e.b, e.imm);
    cols.quarter = Val::from_u8(quarter);
    cols.offset_is = std::array::from_fn(|k| Val::from_bool(k == offset));
    let byte_hi = match op {
        Opcode::Lb => prev[offset],
        _ if offset % 2 == 0 => prev[offset + 1],
        _ => 0,
    };
    cols.byte_lo = Val::from_u8(prev[offset]);
    cols.byte_hi = Val::from_u8(byte_hi);
    let signed = matches!(op, Opcode::Lb | Opcode::Lh);
    let sign = if signed { byte_hi >> 7 } else { 0 };
    cols.sign = Val::from_u8(sign);
    cols.value = word_bytes(e.memory.value);
    populate_access(
        &mut cols.access,
        e.memory.prev_value,
        e.memory.prev_ts,
        timestamp(e.clk, SLOT_MEM),
        counter,
    );
}

/// Counts the address and sign lookups of a valid `e` (its access's are counted by [`fill`]).
fn count_lookups(e: &LoadStoreEvent, counter: &ByteCounter) {
    let addr = e.b.wrapping_add(e.imm);
    let [addr0, addr1, addr2, addr3] = addr.to_le_bytes();
    counter.pair(addr0, addr1);
    counter.pair(addr2, addr3);
    counter.pair(addr0 >> 2, addr3 * 8);
    counter.u16(u16::from_le_bytes([addr2, addr3]) - 1);
    if matches!(e.opcode, Opcode::Lb | Opcode::Lh) {
        let offset = addr & 3;
        let bytes = e.memory.prev_value.to_le_bytes();
        let top = bytes[(offset + u32::from(e.opcode == Opcode::Lh)) as usize];
        counter.add(ByteOp::Msb, [top.into(), (top >> 7).into(), 0]);
    }
}
