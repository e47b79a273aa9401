//! The CPU's columns: one row per cycle.

use geode_stark::columns;
use p3_field::PrimeCharacteristicRing;

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
        /// A load or a store (the load-store chip tells them apart by the opcode).
        pub is_load_store: T,
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
        /// The first field of the row's `exec` request (`bus::ExecRequest`): the ALU op id
        /// (`alu_op_id`) for ALU instructions, ordered branches (SLT/SLTU), AUIPC and JALR
        /// (ADD); `LOAD_STORE_TAG` for loads and stores; `SYSCALL_TAG` for `ecall`; else 0.
        pub exec_op: T,
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
        pub clk: T,
        pub pc: T,
        pub insn: InstructionCols<T>,
        /// rs1 read; its `prev_value` is the operand `b` (AUIPC, which reads no rs1: the pc's
        /// bytes).
        pub rs1_access: MemoryAccessCols<T>,
        /// rs2 read; its `prev_value` is the operand `c` (JALR, which reads no rs2: rs1 + imm).
        pub rs2_access: MemoryAccessCols<T>,
        /// rd write of `a`.
        pub rd_access: MemoryAccessCols<T>,
        /// The value written to rd; a branch's comparison `(cmp, 0, 0, 0)` (it writes no
        /// register).
        pub a: [T; 4],
        /// Cells whose meaning depends on the instruction's class, which are exclusive:
        /// [`JalrCols`], [`AddCols`] or [`BranchCols`] (unused by the other classes).
        pub scratch: [T; SCRATCH_COLS],
        /// This row is the final HALT.
        pub is_halt: T,
    }
}

/// Width of [`CpuCols::scratch`]: the widest class view.
pub const SCRATCH_COLS: usize = 5;

columns! {
    /// JALR's view of [`CpuCols::scratch`]: the low bit of rs1 + imm (the sum itself is in
    /// the unused rs2 port's `prev_value`) and that byte's upper seven bits.
    pub struct JalrCols<T> {
        pub bit0: T,
        pub half: T,
        pub unused: [T; 3],
    }
}

columns! {
    /// ADD/ADDI's view of [`CpuCols::scratch`]: the carries out of the low and high halves of
    /// `b + c` (c the immediate or rs2).
    pub struct AddCols<T> {
        pub carry: [T; 2],
        pub unused: [T; 3],
    }
}

columns! {
    /// A branch's view of [`CpuCols::scratch`] (its comparison is `a[0]`).
    pub struct BranchCols<T> {
        /// BEQ/BNE: inverses proving the halves of b − c non-zero, and the equality flags.
        pub diff_lo_inv: T,
        pub diff_hi_inv: T,
        pub eq_lo: T,
        pub eq_hi: T,
        /// Whether the branch is taken.
        pub taken: T,
    }
}

impl<T> CpuCols<T> {
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
    pub fn classes(&self) -> [T; 8] {
        let c = self;
        [
            c.is_alu,
            c.is_load_store,
            c.is_branch,
            c.is_jal,
            c.is_jalr,
            c.is_lui,
            c.is_auipc,
            c.is_ecall,
        ]
    }

    /// Every boolean the program table provides, in the order of [`flag_names`]: the Program
    /// message carries them as the bits of one field ([`pack_flags`]).
    pub fn flags(&self) -> [T; 16] {
        let c = self;
        [
            c.is_alu,
            c.is_imm,
            c.is_load_store,
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

/// The names of [`InstructionCols::flags`], in order: bit `i` of the Program message's `flags`
/// field is flag `i`.
pub fn flag_names() -> [String; 16] {
    let names = InstructionCols::<u8>::names();
    InstructionCols::<usize>::col_map()
        .flags()
        .map(|k| names[k].clone())
}

/// `Σ 2^i · flags[i]`: one field for all the flags. Where every flag is boolean (the CPU
/// asserts it) this is below 2^16 < p, so it determines the flags: the Program lookup of the
/// packed field shows each flag equal to the table's.
pub fn pack_flags<E: PrimeCharacteristicRing>(flags: [E; 16]) -> E {
    // A sum of products, not Horner's doubling: a symbolic `double` is `x + x`, which
    // `p3-lookup` resolves on every row as a tree twice the size.
    flags
        .into_iter()
        .enumerate()
        .map(|(i, flag)| flag * E::from_u32(1 << i))
        .sum()
}

/// The program table's view of one instruction: the single source of the fields both the
/// program chip (preprocessed) and the CPU (trace) use.
pub fn instruction_cols(insn: &geode_executor::Instruction) -> InstructionCols<u32> {
    use geode_executor::{AluOp, Opcode as O};
    let op = insn.opcode;
    let fence = op == O::Fence;
    let writes_rd = op.writes_rd();
    // The ALU op of the request an ALU instruction, an ordered branch, AUIPC or JALR makes.
    let alu = match op {
        O::Blt | O::Bge => Some(AluOp::Slt),
        O::Bltu | O::Bgeu => Some(AluOp::Sltu),
        O::Fence | O::Auipc | O::Jalr => Some(AluOp::Add),
        _ => op.alu(),
    };
    let exec_op = if op.is_load() || op.is_store() {
        crate::bus::LOAD_STORE_TAG
    } else if op == O::Ecall {
        crate::bus::SYSCALL_TAG
    } else {
        alu.map_or(0, |a| crate::alu::alu_op_id(a).into())
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
        // The request's `c` is the immediate (else rs2) for these.
        is_imm: b(op.uses_imm()
            || fence
            || op.is_load()
            || op.is_store()
            || matches!(op, O::Auipc | O::Jalr)),
        is_load_store: b(op.is_load() || op.is_store()),
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
        exec_op,
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
