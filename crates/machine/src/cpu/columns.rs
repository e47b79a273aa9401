//! The CPU's columns: one row per cycle.

use geode_stark::columns;

use crate::memory::access::MemoryAccessCols;

columns! {
    /// The instruction as the program table gives it (the CPU trusts these: they are part of
    /// the verifying key).
    pub struct InstructionCols<T> {
        pub opcode: T,
        pub rd: T,
        pub rs1: T,
        pub rs2: T,
        pub imm: [T; 4],
        pub is_alu: T,
        pub is_imm: T,
        pub is_load: T,
        pub is_store: T,
        pub is_branch: T,
        pub is_jal: T,
        pub is_jalr: T,
        pub is_lui: T,
        pub is_auipc: T,
        pub is_ecall: T,
        pub reads_rs1: T,
        pub reads_rs2: T,
        pub writes_rd: T,
        pub rd_is_x0: T,
        /// The immediate as a signed field element, for pc arithmetic.
        pub imm_field: T,
        /// The ALU operation (`alu_op_id`) for ALU instructions and ordered branches.
        pub alu_op: T,
        /// BEQ/BNE: compare in the CPU rather than through the ALU.
        pub branch_eq: T,
        /// BNE/BGE/BGEU: branch when the comparison is false.
        pub branch_negate: T,
        /// ADD/ADDI writing a register (rd ≠ x0): the CPU adds, with [`AddCols`], instead of
        /// asking the ALU.
        pub is_add: T,
    }
}

columns! {
    /// One CPU row.
    pub struct CpuCols<T> {
        pub is_real: T,
        pub clk: T,
        pub pc: T,
        pub next_pc: T,
        pub insn: InstructionCols<T>,
        /// rs1 read; its `prev_value` is the operand `b`.
        pub rs1_access: MemoryAccessCols<T>,
        /// rs2 read; its `prev_value` is the operand `c`.
        pub rs2_access: MemoryAccessCols<T>,
        /// rd write of `a`.
        pub rd_access: MemoryAccessCols<T>,
        /// The value written to rd.
        pub a: [T; 4],
        /// The ALU's second operand: the immediate or rs2.
        pub c_operand: [T; 4],
        /// Cells whose meaning depends on the instruction's class, which are exclusive:
        /// [`AuipcCols`], [`JalrCols`] or [`BranchCols`] (unused by the other classes).
        pub scratch: [T; SCRATCH_COLS],
        /// This row is the final HALT.
        pub is_halt: T,
    }
}

/// Width of [`CpuCols::scratch`]: the widest class view.
pub const SCRATCH_COLS: usize = 6;

columns! {
    /// AUIPC's view of [`CpuCols::scratch`]: the pc as bytes (the ALU adds the immediate to
    /// them).
    pub struct AuipcCols<T> {
        pub pc_bytes: [T; 4],
        pub unused: [T; 2],
    }
}

columns! {
    /// JALR's view of [`CpuCols::scratch`]: rs1 + imm (through the ALU), its low bit and that
    /// byte's upper seven bits.
    pub struct JalrCols<T> {
        pub sum: [T; 4],
        pub bit0: T,
        pub half: T,
    }
}

columns! {
    /// ADD/ADDI's view of [`CpuCols::scratch`]: the carries out of the low and high halves of
    /// `b + c_operand`.
    pub struct AddCols<T> {
        pub carry: [T; 2],
        pub unused: [T; 4],
    }
}

columns! {
    /// A branch's view of [`CpuCols::scratch`].
    pub struct BranchCols<T> {
        /// BEQ/BNE: inverses proving the halves of b − c non-zero, and the equality flags.
        pub diff_lo_inv: T,
        pub diff_hi_inv: T,
        pub eq_lo: T,
        pub eq_hi: T,
        /// The comparison before negation: b = c for BEQ/BNE, the ALU's SLT/SLTU result for
        /// the others.
        pub cmp: T,
        /// Whether the branch is taken.
        pub taken: T,
    }
}

impl<T> CpuCols<T> {
    /// The scratch cells as AUIPC uses them.
    pub fn auipc(&self) -> &AuipcCols<T> {
        AuipcCols::from_slice(&self.scratch)
    }
    /// The scratch cells as JALR uses them.
    pub fn jalr(&self) -> &JalrCols<T> {
        JalrCols::from_slice(&self.scratch)
    }
    /// The scratch cells as ADD/ADDI uses them.
    pub fn add(&self) -> &AddCols<T> {
        AddCols::from_slice(&self.scratch)
    }
    /// Mutable [`Self::add`].
    pub fn add_mut(&mut self) -> &mut AddCols<T> {
        AddCols::from_slice_mut(&mut self.scratch)
    }
    /// The scratch cells as a branch uses them.
    pub fn branch(&self) -> &BranchCols<T> {
        BranchCols::from_slice(&self.scratch)
    }
    /// Mutable [`Self::auipc`].
    pub fn auipc_mut(&mut self) -> &mut AuipcCols<T> {
        AuipcCols::from_slice_mut(&mut self.scratch)
    }
    /// Mutable [`Self::jalr`].
    pub fn jalr_mut(&mut self) -> &mut JalrCols<T> {
        JalrCols::from_slice_mut(&mut self.scratch)
    }
    /// Mutable [`Self::branch`].
    pub fn branch_mut(&mut self) -> &mut BranchCols<T> {
        BranchCols::from_slice_mut(&mut self.scratch)
    }
}

impl<T: Copy> InstructionCols<T> {
    /// The class flags: exactly one is set on a real row.
    pub fn classes(&self) -> [T; 9] {
        let c = self;
        [
            c.is_alu,
            c.is_load,
            c.is_store,
            c.is_branch,
            c.is_jal,
            c.is_jalr,
            c.is_lui,
            c.is_auipc,
            c.is_ecall,
        ]
    }

    /// Every boolean the program table provides; the first 14 are in the Program message in
    /// this order, the last three follow `imm_field` and `alu_op`.
    pub fn flags(&self) -> [T; 17] {
        let c = self;
        [
            c.is_alu,
            c.is_imm,
            c.is_load,
            c.is_store,
            c.is_branch,
            c.is_jal,
            c.is_jalr,
            c.is_lui,
            c.is_auipc,
            c.is_ecall,
            c.reads_rs1,
            c.reads_rs2,
            c.writes_rd,
            c.rd_is_x0,
            c.branch_eq,
            c.branch_negate,
            c.is_add,
        ]
    }
}

/// The program table's view of one instruction: the single source of the fields both the
/// program chip (preprocessed) and the CPU (trace) use.
pub fn instruction_cols(insn: &geode_executor::Instruction) -> InstructionCols<u32> {
    use geode_executor::{AluOp, Opcode as O};
    let op = insn.opcode;
    let fence = op == O::Fence;
    let writes_rd = op.writes_rd();
    let alu = match op {
        O::Blt | O::Bge => Some(AluOp::Slt),
        O::Bltu | O::Bgeu => Some(AluOp::Sltu),
        O::Fence => Some(AluOp::Add),
        _ => op.alu(),
    };
    let b = u32::from;
    InstructionCols {
        opcode: op as u32,
        rd: insn.rd.into(),
        rs1: insn.rs1.into(),
        rs2: insn.rs2.into(),
        imm: insn.imm.to_le_bytes().map(u32::from),
        // A fence is an ALU no-op whose result is discarded.
        is_alu: b(op.alu().is_some() || fence),
        is_imm: b(op.uses_imm() || fence),
        is_load: b(op.is_load()),
        is_store: b(op.is_store()),
        is_branch: b(op.is_branch()),
        is_jal: b(op == O::Jal),
        is_jalr: b(op == O::Jalr),
        is_lui: b(op == O::Lui),
        is_auipc: b(op == O::Auipc),
        is_ecall: b(op == O::Ecall),
        reads_rs1: b(op.reads_rs1()),
        reads_rs2: b(op.reads_rs2()),
        writes_rd: b(writes_rd),
        rd_is_x0: b((writes_rd && insn.rd == 0) || fence),
        imm_field: field_of_i32(insn.imm as i32),
        alu_op: alu.map_or(0, |a| crate::alu::alu_op_id(a).into()),
        branch_eq: b(matches!(op, O::Beq | O::Bne)),
        branch_negate: b(matches!(op, O::Bne | O::Bge | O::Bgeu)),
        is_add: b(matches!(op, O::Add | O::Addi) && insn.rd != 0),
    }
}

/// A signed value as the canonical representative of the KoalaBear element it denotes.
pub fn field_of_i32(v: i32) -> u32 {
    use p3_field::PrimeField32;
    let p = i64::from(geode_stark::Val::ORDER_U32);
    // |v| may exceed p (upper immediates, illegal words): reduce, never subtract blindly.
    i64::from(v).rem_euclid(p) as u32
}
