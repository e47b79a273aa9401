//! The decoded instruction set: one [`Opcode`] per RV32IM instruction form.
//!
//! Immediate forms get their own opcode (`Addi` next to `Add`) so the run loop dispatches once
//! per instruction and never asks "register or immediate?". [`Opcode::alu`] folds them back for
//! consumers (the prover) that want one ALU operation per arithmetic function.

use std::fmt;

/// Every instruction form the executor runs, plus [`Opcode::Illegal`] for words that are not a
/// supported instruction (they fault only if executed, so data in `.text` is harmless).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[expect(missing_docs, reason = "the variants are the RISC-V mnemonics")]
pub enum Opcode {
    // RV32I register-register
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    // RV32I register-immediate
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    // RV32M
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    // loads and stores
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    // control flow
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Jal,
    Jalr,
    // upper immediates
    Lui,
    Auipc,
    // system
    Ecall,
    /// `fence` (memory ordering); a no-op on a single-hart machine.
    Fence,
    /// Not a supported instruction: compressed, CSR, `ebreak`, `fence.i`, floating point, ….
    Illegal,
}

/// What an arithmetic opcode computes, with register and immediate forms folded together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[expect(missing_docs, reason = "the variants are the RISC-V mnemonics")]
pub enum AluOp {
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
}

impl Opcode {
    /// The arithmetic this opcode computes, if it is an ALU instruction (register or immediate).
    pub const fn alu(self) -> Option<AluOp> {
        use Opcode as O;
        Some(match self {
            O::Add | O::Addi => AluOp::Add,
            O::Sub => AluOp::Sub,
            O::Sll | O::Slli => AluOp::Sll,
            O::Slt | O::Slti => AluOp::Slt,
            O::Sltu | O::Sltiu => AluOp::Sltu,
            O::Xor | O::Xori => AluOp::Xor,
            O::Srl | O::Srli => AluOp::Srl,
            O::Sra | O::Srai => AluOp::Sra,
            O::Or | O::Ori => AluOp::Or,
            O::And | O::Andi => AluOp::And,
            O::Mul => AluOp::Mul,
            O::Mulh => AluOp::Mulh,
            O::Mulhsu => AluOp::Mulhsu,
            O::Mulhu => AluOp::Mulhu,
            O::Div => AluOp::Div,
            O::Divu => AluOp::Divu,
            O::Rem => AluOp::Rem,
            O::Remu => AluOp::Remu,
            _ => return None,
        })
    }

    /// Whether the second ALU operand is the immediate rather than `rs2`.
    pub const fn uses_imm(self) -> bool {
        matches!(
            self,
            Opcode::Addi
                | Opcode::Slti
                | Opcode::Sltiu
                | Opcode::Xori
                | Opcode::Ori
                | Opcode::Andi
                | Opcode::Slli
                | Opcode::Srli
                | Opcode::Srai
        )
    }

    /// Whether this is a load.
    pub const fn is_load(self) -> bool {
        matches!(
            self,
            Opcode::Lb | Opcode::Lh | Opcode::Lw | Opcode::Lbu | Opcode::Lhu
        )
    }

    /// Whether this is a store.
    pub const fn is_store(self) -> bool {
        matches!(self, Opcode::Sb | Opcode::Sh | Opcode::Sw)
    }

    /// Whether the instruction reads `rs1` (for `ecall`: `t0`, the syscall id).
    pub const fn reads_rs1(self) -> bool {
        !matches!(
            self,
            Opcode::Lui | Opcode::Auipc | Opcode::Jal | Opcode::Fence | Opcode::Illegal
        )
    }

    /// Whether the instruction reads `rs2` (for `ecall`: `a0`).
    pub const fn reads_rs2(self) -> bool {
        (self.alu().is_some() && !self.uses_imm())
            || self.is_store()
            || self.is_branch()
            || matches!(self, Opcode::Ecall)
    }

    /// Whether the instruction writes `rd` (for `ecall`: `a0`, its result).
    pub const fn writes_rd(self) -> bool {
        !(self.is_store() || self.is_branch() || matches!(self, Opcode::Fence | Opcode::Illegal))
    }

    /// Whether this is a conditional branch.
    pub const fn is_branch(self) -> bool {
        matches!(
            self,
            Opcode::Beq | Opcode::Bne | Opcode::Blt | Opcode::Bge | Opcode::Bltu | Opcode::Bgeu
        )
    }
}

/// One pre-decoded instruction: 8 bytes, so the decoded text stays in cache.
///
/// Field meaning by form: R `rd, rs1, rs2`; I/load/jalr `rd, rs1, imm`; S/B `rs1, rs2, imm`;
/// U/J `rd, imm`. Immediates are sign-extended to 32 bits, shift amounts are the 5-bit shamt, and
/// `lui`/`auipc` immediates are already shifted into the upper 20 bits. Unused register fields
/// are 0. `ecall` reads `t0` as `rs1` and `a0` as `rs2` and writes its result to `rd = a0`, so
/// the syscall id and first argument travel through the ordinary register ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    /// What to do.
    pub opcode: Opcode,
    /// Destination register.
    pub rd: u8,
    /// First source register.
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Immediate, sign-extended (or the raw word, for [`Opcode::Illegal`]).
    pub imm: u32,
}

impl Instruction {
    /// An instruction that faults when executed; `imm` keeps the raw word for messages.
    pub const fn illegal(word: u32) -> Self {
        Self {
            opcode: Opcode::Illegal,
            rd: 0,
            rs1: 0,
            rs2: 0,
            imm: word,
        }
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = format!("{self:?}").to_ascii_lowercase();
        f.pad(&name)
    }
}
