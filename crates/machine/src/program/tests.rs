use std::collections::BTreeMap;

use geode_executor::testing::{Asm, enc};
use geode_executor::{Instruction, Opcode, Program};
use geode_platform::memory::TEXT_START;
use geode_stark::Val;
use p3_air::BaseAir;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::Matrix;

use super::{
    PROGRAM_MESSAGE_FIELDS, PROGRAM_MESSAGE_LEN, ProgramChip, ProgramCols, program_message_values,
};
use crate::cpu::flag_names;
use crate::memory::testutil::{TestChip, constraint_failures, debug, unbalanced};

fn field(message: &[u32], name: &str) -> u32 {
    message[PROGRAM_MESSAGE_FIELDS
        .iter()
        .position(|&f| f == name)
        .unwrap()]
}

fn insn(opcode: Opcode, rd: u8, rs1: u8, rs2: u8, imm: u32) -> Instruction {
    Instruction {
        opcode,
        rd,
        rs1,
        rs2,
        imm,
    }
}

/// The flags set in `message`'s `flags` field, by name.
fn set_flags(message: &[u32]) -> Vec<String> {
    let flags = field(message, "flags");
    let names = flag_names();
    assert!(flags < 1 << names.len(), "a bit beyond the last flag");
    names
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| flags >> i & 1 == 1)
        .map(|(_, name)| name)
        .collect()
}

#[test]
fn message_layout() {
    assert_eq!(PROGRAM_MESSAGE_LEN, 12);
    assert_eq!(
        PROGRAM_MESSAGE_FIELDS[9..],
        ["imm_field", "exec_op", "flags"]
    );
    // The bit order of the message's `flags` field.
    assert_eq!(flag_names()[..3], ["is_alu", "is_imm", "is_load_store"]);
    let m = program_message_values(0x1_0008, &insn(Opcode::Addi, 5, 6, 0, -2i32 as u32));
    assert_eq!(
        &m[..9],
        [
            0x1_0008,
            Opcode::Addi as u32,
            5,
            6,
            0,
            0xfe,
            0xff,
            0xff,
            0xff
        ]
    );
    // is_alu (bit 0), is_imm (1), reads_rs1 (9), writes_rd (11), is_add (15).
    assert_eq!(field(&m, "flags"), 1 | 1 << 1 | 1 << 9 | 1 << 11 | 1 << 15);
    assert_eq!(
        set_flags(&m),
        ["is_alu", "is_imm", "reads_rs1", "writes_rd", "is_add"]
    );
}

#[test]
fn flags_per_class() {
    let cases: [(Instruction, &[&str]); 9] = [
        (
            insn(Opcode::Add, 0, 1, 2, 0),
            &["is_alu", "reads_rs1", "reads_rs2", "writes_rd", "rd_is_x0"],
        ),
        (
            insn(Opcode::Lw, 3, 2, 0, 8),
            &["is_imm", "is_load_store", "reads_rs1", "writes_rd"],
        ),
        (
            insn(Opcode::Sb, 0, 2, 3, 1),
            &["is_imm", "is_load_store", "reads_rs1", "reads_rs2"],
        ),
        (
            insn(Opcode::Bne, 0, 1, 2, 16),
            &[
                "is_branch",
                "reads_rs1",
                "reads_rs2",
                "branch_eq",
                "branch_negate",
            ],
        ),
        (
            insn(Opcode::Jal, 0, 0, 0, 8),
            &["is_jal", "writes_rd", "rd_is_x0"],
        ),
        (
            insn(Opcode::Jalr, 1, 5, 0, 0),
            &["is_imm", "is_jalr", "reads_rs1", "writes_rd"],
        ),
        (insn(Opcode::Lui, 7, 0, 0, 0x1000), &["is_lui", "writes_rd"]),
        (
            insn(Opcode::Ecall, 10, 5, 10, 0),
            &["is_ecall", "reads_rs1", "reads_rs2", "writes_rd"],
        ),
        (
            insn(Opcode::Fence, 0, 0, 0, 0),
            &["is_alu", "is_imm", "rd_is_x0"],
        ),
    ];
    for (insn, flags) in cases {
        assert_eq!(
            set_flags(&program_message_values(TEXT_START, &insn)),
            flags,
            "{insn:?}"
        );
    }
}

#[test]
fn illegal_words_have_no_flag_at_all() {
    let m = program_message_values(TEXT_START, &Instruction::illegal(0xffff_ffff));
    assert_eq!(field(&m, "opcode_id"), Opcode::Illegal as u32);
    assert_eq!(&m[5..9], [0xff; 4]);
    assert_eq!(set_flags(&m), Vec::<&str>::new());
}

fn program() -> Program {
    let mut asm = Asm::new();
    asm.push([enc::alu_imm(Opcode::Addi, 1, 0, 5), 0xffff_ffff])
        .halt(0);
    Program::from_elf(&asm.elf()).unwrap()
}

#[test]
fn provides_each_instruction_with_its_count() {
    let program = program();
    let chip = ProgramChip::new(&program);
    let n = program.instructions().len();
    let prep = chip.preprocessed_trace().unwrap();
    assert_eq!(prep.height(), n.next_power_of_two());
    let counts: Vec<u32> = (0..n as u32).map(|k| k % 3).collect();
    let trace = chip.generate_trace(&counts);
    let failures = debug(&[(TestChip::Program(chip), trace)]).unwrap_err();
    assert_eq!(constraint_failures(&failures), []);
    let expected: BTreeMap<_, _> = program
        .instructions()
        .iter()
        .enumerate()
        .filter(|&(k, _)| counts[k] > 0)
        .map(|(k, insn)| {
            let pc = TEXT_START + 4 * k as u32;
            (program_message_values(pc, insn), -i64::from(counts[k]))
        })
        .collect();
    assert_eq!(unbalanced(&failures, "program"), expected);
    assert_eq!(failures.len(), expected.len());
}

#[test]
fn padding_rows_cannot_provide() {
    let program = program();
    let chip = ProgramChip::new(&program);
    let n = program.instructions().len();
    assert!(!n.is_power_of_two(), "the test needs a padding row");
    let mut trace = chip.generate_trace(&vec![0; n]);
    // The padding row's multiplicity 0 (valid) -> 1 (corrupt: it would provide pc 0).
    trace.values[n * ProgramCols::<u8>::NUM_COLS] = Val::ONE;
    let failures = debug(&[(TestChip::Program(chip), trace)]).unwrap_err();
    assert_eq!(constraint_failures(&failures), [("program".to_owned(), n)]);
}

#[test]
#[should_panic(expected = "one count per instruction")]
fn counts_must_cover_the_text() {
    let chip = ProgramChip::new(&program());
    chip.generate_trace(&[1]);
}

#[test]
fn the_main_trace_is_one_column() {
    assert_eq!(ProgramChip::new(&program()).width(), 1);
}

#[test]
fn exec_ops_per_instruction() {
    use crate::alu::alu_op_id;
    use crate::bus::{LOAD_STORE_TAG, SYSCALL_TAG};
    use geode_executor::AluOp;
    let id = |op| u32::from(alu_op_id(op));
    let cases = [
        (insn(Opcode::Sub, 1, 2, 3, 0), id(AluOp::Sub)),
        (insn(Opcode::Auipc, 1, 0, 0, 0x1000), id(AluOp::Add)),
        (insn(Opcode::Jalr, 0, 1, 0, 4), id(AluOp::Add)),
        (insn(Opcode::Blt, 0, 1, 2, 8), id(AluOp::Slt)),
        (insn(Opcode::Bgeu, 0, 1, 2, 8), id(AluOp::Sltu)),
        (insn(Opcode::Beq, 0, 1, 2, 8), 0),
        (insn(Opcode::Lbu, 1, 2, 0, 8), LOAD_STORE_TAG),
        (insn(Opcode::Sw, 0, 2, 3, 8), LOAD_STORE_TAG),
        (insn(Opcode::Ecall, 10, 5, 10, 0), SYSCALL_TAG),
        (insn(Opcode::Lui, 1, 0, 0, 0x1000), 0),
        (insn(Opcode::Jal, 1, 0, 0, 8), 0),
    ];
    for (insn, op) in cases {
        let m = program_message_values(TEXT_START, &insn);
        assert_eq!(field(&m, "exec_op"), op, "{insn:?}");
    }
}
