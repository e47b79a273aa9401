//! The CPU chip: one row per cycle.
//!
//! # Soundness
//! Given balanced buses, the CPU proves: execution starts at the ELF's entry point at cycle 1
//! and takes one row per cycle; each row runs the ELF's instruction at its pc (Program bus); its
//! register reads return the last values written and its write stores `a` (Memory bus, through
//! the access gadget); `a` is what the instruction's class defines — the ALU result for ALU
//! instructions (Alu bus), the immediate for LUI, pc + imm for AUIPC, pc + 4 for JAL/JALR, the
//! syscall's result for ECALL, the load-store chip's value for loads — and 0 when rd is x0; the
//! next pc is pc + 4, the branch target when the comparison (in-CPU for BEQ/BNE, SLT/SLTU
//! through the ALU otherwise) says so, pc + imm for JAL, or (rs1 + imm) & !1 below 2^29 for
//! JALR; instructions with no class (illegal words) cannot run; and the last real row is the
//! one HALT, after which nothing runs. Every request to the ALU, load-store or syscall chips is
//! one `exec` message in the common layout (`bus::ExecRequest`), whose op comes from the program
//! table and whose operands are cells the row's class fills (AUIPC's pc in the unused rs1 port,
//! JALR's sum in the unused rs2 port, a branch's comparison in `a`); the classes are exclusive,
//! so the message is exactly that class's request. It assumes the program, memory, ALU,
//! load-store and syscall chips prove what their own docs say.

mod air;
pub mod columns;
mod trace;

use geode_stark::{Chip, Val};
use p3_air::BaseAir;

pub use columns::{
    AddCols, BranchCols, CpuCols, InstructionCols, JalrCols, SCRATCH_COLS, flag_names,
    instruction_cols, pack_flags,
};
pub use trace::{CpuSideEffects, generate_trace};

/// The CPU chip of one program (its entry point is a constant of the AIR).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuChip {
    /// The ELF's entry point.
    pub entry: u32,
}

impl BaseAir<Val> for CpuChip {
    fn width(&self) -> usize {
        CpuCols::<u8>::NUM_COLS
    }
}

impl Chip<Val> for CpuChip {
    fn name(&self) -> &'static str {
        "cpu"
    }
    fn column_names(&self) -> Vec<String> {
        CpuCols::<u8>::names()
    }
}

/// Applies `f` to every field of an instruction's columns.
pub fn map_cols<A: Copy, B>(c: &InstructionCols<A>, f: impl Fn(A) -> B) -> InstructionCols<B> {
    InstructionCols {
        opcode: f(c.opcode),
        rd: f(c.rd),
        rs1: f(c.rs1),
        rs2: f(c.rs2),
        imm: c.imm.map(&f),
        is_alu: f(c.is_alu),
        is_imm: f(c.is_imm),
        is_load_store: f(c.is_load_store),
        is_branch: f(c.is_branch),
        is_jal: f(c.is_jal),
        is_jalr: f(c.is_jalr),
        is_lui: f(c.is_lui),
        is_auipc: f(c.is_auipc),
        is_ecall: f(c.is_ecall),
        reads_rs1: f(c.reads_rs1),
        reads_rs2: f(c.reads_rs2),
        writes_rd: f(c.writes_rd),
        rd_is_x0: f(c.rd_is_x0),
        imm_field: f(c.imm_field),
        exec_op: f(c.exec_op),
        branch_eq: f(c.branch_eq),
        branch_negate: f(c.branch_negate),
        is_add: f(c.is_add),
    }
}
