//! Columns of the program chip, and the Program-bus message they hold.

use geode_executor::Instruction;
use geode_stark::{Val, columns};
use p3_field::{PrimeCharacteristicRing, PrimeField32};

/// Fields of a Program-bus message.
pub const PROGRAM_MESSAGE_LEN: usize = 12;

/// The Program-bus message's fields, in order (`docs/machine-design.md`). `flags` holds the
/// instruction's booleans as bits (`cpu::flag_names`, `cpu::pack_flags`).
pub const PROGRAM_MESSAGE_FIELDS: [&str; PROGRAM_MESSAGE_LEN] = [
    "pc",
    "opcode_id",
    "rd",
    "rs1",
    "rs2",
    "imm[0]",
    "imm[1]",
    "imm[2]",
    "imm[3]",
    "imm_field",
    "exec_op",
    "flags",
];

columns! {
    /// Preprocessed: one instruction of the text, as the message the CPU must send to run it.
    pub struct ProgramPrepCols<T> {
        /// The message, in the order of [`PROGRAM_MESSAGE_FIELDS`].
        pub message: [T; PROGRAM_MESSAGE_LEN],
        /// 1 on the text's rows, 0 on padding.
        pub is_real: T,
    }
}

columns! {
    /// Main: how many times the CPU runs the row's instruction.
    pub struct ProgramCols<T> {
        /// Executions of this instruction (0 on padding).
        pub multiplicity: T,
    }
}

/// The exact Program-bus message for `insn` at `pc`, as integers, in the order of
/// [`PROGRAM_MESSAGE_FIELDS`]: `opcode_id` is `Opcode as u8`, `imm` the sign-extended immediate
/// (the raw word for `Illegal`) as little-endian bytes, the immediate as a field element, the
/// `exec` request's op, then the flags as bits: the class flags, the register-port flags, `rd_is_x0` (1 iff the
/// instruction writes `rd` and `rd` is x0) and the branch and ADD flags (`cpu::flag_names`).
///
/// Two opcodes have no class of their own: `Illegal` gets no class flag and no port flag, so a
/// CPU that requires exactly one class flag per real row can never run it; `Fence` (a no-op) is
/// an immediate ALU instruction whose result is discarded (`is_alu`, `is_imm` and `rd_is_x0`
/// set, no port flag) — the one row where `rd_is_x0` is set without `writes_rd`.
pub fn program_message_values(pc: u32, insn: &Instruction) -> Vec<u32> {
    // The CPU fills its instruction columns from the same function, so the two sides agree by
    // construction.
    let c = crate::cpu::instruction_cols(insn);
    let mut message = vec![pc, c.opcode, c.rd, c.rs1, c.rs2];
    message.extend(c.imm);
    // The same packing the CPU constrains, in the field (below 2^16, so the integer too).
    let flags = crate::cpu::pack_flags(c.flags().map(Val::from_u32)).as_canonical_u32();
    message.extend([c.imm_field, c.exec_op, flags]);
    debug_assert_eq!(message.len(), PROGRAM_MESSAGE_LEN);
    message
}
