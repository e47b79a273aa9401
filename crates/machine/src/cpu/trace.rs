//! CPU rows from the execution record.

use geode_executor::record::{CpuEvent, SLOT_RD, SLOT_RS1, SLOT_RS2, timestamp};
use geode_executor::{AluOp, Program};
use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;

use super::columns::{BranchCols, CpuCols, instruction_cols};
use crate::alu::{AluEvent, carries_by_halves};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;
use crate::memory::access::{populate_access, populate_access_leaving_hi};

/// What CPU trace generation produces besides the trace.
#[derive(Debug, Default)]
pub struct CpuSideEffects {
    /// ALU operations the CPU asked for, for the ALU chips.
    pub alu: Vec<AluEvent>,
    /// How many times each instruction (by index in the text) ran, for the program chip.
    pub program_counts: Vec<u32>,
}

fn val(x: u32) -> Val {
    Val::from_u32(x)
}

fn bytes(x: u32) -> [Val; 4] {
    x.to_le_bytes().map(Val::from_u8)
}

/// The CPU trace of `events` (one row each, padded to a power of two of at least 4 rows).
pub fn generate_trace(
    program: &Program,
    events: &[CpuEvent],
    counter: &ByteCounter,
) -> (RowMajorMatrix<Val>, CpuSideEffects) {
    let width = CpuCols::<u8>::NUM_COLS;
    let height = events.len().next_power_of_two().max(4);
    let mut values = Val::zero_vec(width * height);
    // The instruction classes are exclusive, so a row makes at most one ALU request.
    let alu: Vec<Option<AluEvent>> = values
        .par_chunks_mut(width)
        .zip(events.par_iter())
        .map(|(row, event)| fill_row(CpuCols::from_slice_mut(row), program, event, counter))
        .collect();
    let mut program_counts = vec![0u32; program.instructions().len()];
    for e in events {
        program_counts[((e.pc - program.text_start()) / 4) as usize] += 1;
    }
    let effects = CpuSideEffects {
        alu: alu.into_iter().flatten().collect(),
        program_counts,
    };
    (RowMajorMatrix::new(values, width), effects)
}

fn fill_row(
    cols: &mut CpuCols<Val>,
    program: &Program,
    e: &CpuEvent,
    counter: &ByteCounter,
) -> Option<AluEvent> {
    let insn = program.instructions()[((e.pc - program.text_start()) / 4) as usize];
    let fields = instruction_cols(&insn);
    let mut alu = None;
    cols.clk = val(e.clk);
    cols.pc = val(e.pc);
    cols.insn = crate::cpu::map_cols(&fields, val);
    let mut read_his = [0, 0];
    if fields.reads_rs1 == 1 {
        read_his[0] = populate_access_leaving_hi(
            &mut cols.rs1_access,
            e.b,
            e.rs1_prev_ts,
            timestamp(e.clk, SLOT_RS1),
            counter,
        );
    }
    if fields.reads_rs2 == 1 {
        read_his[1] = populate_access_leaving_hi(
            &mut cols.rs2_access,
            e.c,
            e.rs2_prev_ts,
            timestamp(e.clk, SLOT_RS2),
            counter,
        );
    }
    counter.pair(read_his[0], read_his[1]);
    if fields.writes_rd == 1 {
        populate_access(
            &mut cols.rd_access,
            e.rd_prev_value,
            e.rd_prev_ts,
            timestamp(e.clk, SLOT_RD),
            counter,
        );
    }
    cols.a = bytes(e.a);
    let discard = fields.rd_is_x0 == 1;
    let c_operand = if fields.is_imm == 1 { insn.imm } else { e.c };
    let op = insn.opcode;
    if fields.is_add == 1 {
        cols.add_mut().carry = carries_by_halves(e.b, c_operand);
        let [a0, a1, a2, a3] = e.a.to_le_bytes();
        counter.pair(a0, a1);
        counter.pair(a2, a3);
    } else if fields.is_alu == 1 && !discard {
        let alu_op = op.alu().unwrap_or(AluOp::Add);
        alu = Some(AluEvent {
            op: alu_op,
            a: e.a,
            b: e.b,
            c: c_operand,
        });
    }
    if fields.is_auipc == 1 {
        // AUIPC reads no rs1: its port's value cells hold the pc's bytes, the ALU's `b`.
        cols.rs1_access.prev_value = bytes(e.pc);
        counter.top_byte_below_32((e.pc >> 24) as u8);
        if !discard {
            alu = Some(AluEvent {
                op: AluOp::Add,
                a: e.a,
                b: e.pc,
                c: insn.imm,
            });
        }
    }
    if fields.is_jal == 1 || fields.is_jalr == 1 {
        let [a0, a1, a2, a3] = e.a.to_le_bytes();
        counter.pair(a0, a1);
        counter.pair(a2, a3);
        counter.top_byte_below_32(a3);
    }
    if fields.is_branch == 1 {
        let (cmp, request) = fill_branch(cols.branch_mut(), e, &fields);
        cols.a = [Val::from_bool(cmp), Val::ZERO, Val::ZERO, Val::ZERO];
        alu = request;
    }
    if fields.is_jalr == 1 {
        let sum = e.b.wrapping_add(insn.imm);
        let half = (sum & 0xff) >> 1;
        // JALR reads no rs2: its port's value cells hold the sum.
        cols.rs2_access.prev_value = bytes(sum);
        let jalr = cols.jalr_mut();
        jalr.bit0 = val(sum & 1);
        jalr.half = val(half);
        counter.add(ByteOp::Pair, [half, (sum >> 24) * 8, 0]);
        alu = Some(AluEvent {
            op: AluOp::Add,
            a: sum,
            b: e.b,
            c: insn.imm,
        });
    }
    if fields.is_ecall == 1 && e.b == geode_platform::syscall::HALT {
        cols.is_halt = Val::ONE;
    }
    alu
}

/// Fills a branch's scratch cells; returns its comparison (b = c for BEQ/BNE, the ALU's
/// SLT/SLTU result for the others) and the ALU request it makes.
fn fill_branch(
    cols: &mut BranchCols<Val>,
    e: &CpuEvent,
    fields: &super::columns::InstructionCols<u32>,
) -> (bool, Option<AluEvent>) {
    let mut alu = None;
    let cmp = if fields.branch_eq == 1 {
        let halves = |w: u32| (w & 0xffff, w >> 16);
        let ((b_lo, b_hi), (c_lo, c_hi)) = (halves(e.b), halves(e.c));
        let diff_lo = val(b_lo) - val(c_lo);
        let diff_hi = val(b_hi) - val(c_hi);
        cols.diff_lo_inv = diff_lo.try_inverse().unwrap_or(Val::ZERO);
        cols.diff_hi_inv = diff_hi.try_inverse().unwrap_or(Val::ZERO);
        cols.eq_lo = Val::from_bool(b_lo == c_lo);
        cols.eq_hi = Val::from_bool(b_hi == c_hi);
        e.b == e.c
    } else {
        let (op, lt) = if fields.exec_op == u32::from(crate::alu::alu_op_id(AluOp::Slt)) {
            (AluOp::Slt, (e.b as i32) < (e.c as i32))
        } else {
            (AluOp::Sltu, e.b < e.c)
        };
        alu = Some(AluEvent {
            op,
            a: lt.into(),
            b: e.b,
            c: e.c,
        });
        lt
    };
    cols.taken = Val::from_bool(cmp != (fields.branch_negate == 1));
    (cmp, alu)
}
