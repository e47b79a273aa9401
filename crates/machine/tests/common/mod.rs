//! A run that uses every chip, shared by the sweep and the event-tamper tests.

// `expect` would fail in the binaries that do use every item.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_W, PF_X, enc};
use geode_executor::{Opcode, Program, Stdin, keccak256};
use geode_machine::{MachineTraces, RiscvChip, RiscvMachine};
use geode_platform::memory::{HEAP_END, TEXT_START};
use geode_platform::{reg, syscall};
use geode_stark::debug::DebugInstance;

/// The data segment: the output digest, then the 4 committed bytes, then scratch.
pub(crate) const DATA: u32 = TEXT_START + 0x1_0000;
pub(crate) const OUTPUT: &[u8; 4] = b"abcd";

/// secp256k1 points (G, then 2G) and the operands `x`, `y`, `m` of a modular multiplication.
pub(crate) const POINT_P: u32 = DATA + 512;
pub(crate) const POINT_Q: u32 = POINT_P + 64;
pub(crate) const MULMOD_X: u32 = POINT_Q + 64;

/// `k·G` as the guest stores it: `x` then `y`, little-endian.
pub(crate) fn point_le(k: u64) -> Vec<u8> {
    use k256::elliptic_curve::sec1::ToEncodedPoint;
    let point = (k256::ProjectivePoint::GENERATOR * k256::Scalar::from(k)).to_affine();
    let encoded = point.to_encoded_point(false);
    let le = |b: &[u8]| b.iter().rev().copied().collect::<Vec<u8>>();
    let mut out = le(encoded.x().expect("not the identity"));
    out.extend(le(encoded.y().expect("uncompressed")));
    out
}

/// A run that uses every chip: each ALU operation (with signed, unsigned and zero divisors),
/// every load and store width, branches and jumps, and every provable syscall.
pub(crate) fn program() -> Program {
    let scratch = DATA + 64;
    let mut asm = Asm::new();
    asm.li(1, 3)
        .li(2, 0x8000_0001)
        .li(3, scratch)
        .li(9, 0xffff_fff9);
    let top = asm.code.len();
    let r = |op, rd| enc::alu(op, rd, 2, 9);
    asm.push([
        r(Opcode::Add, 4),
        r(Opcode::Sub, 4),
        r(Opcode::Xor, 5),
        r(Opcode::Or, 5),
        r(Opcode::And, 5),
        r(Opcode::Slt, 6),
        r(Opcode::Sltu, 6),
        enc::alu_imm(Opcode::Slti, 6, 1, -1),
        enc::alu(Opcode::Sll, 7, 2, 1),
        enc::alu(Opcode::Srl, 7, 2, 1),
        enc::alu(Opcode::Sra, 7, 2, 1),
        enc::alu_imm(Opcode::Srai, 7, 9, 3),
        r(Opcode::Mul, 8),
        r(Opcode::Mulh, 8),
        r(Opcode::Mulhsu, 8),
        r(Opcode::Mulhu, 8),
        r(Opcode::Div, 10),
        r(Opcode::Divu, 10),
        r(Opcode::Rem, 10),
        r(Opcode::Remu, 10),
        enc::alu(Opcode::Div, 10, 2, 0),
        enc::alu(Opcode::Rem, 10, 2, 0),
        enc::store(Opcode::Sw, 2, 3, 0),
        enc::store(Opcode::Sh, 9, 3, 6),
        enc::store(Opcode::Sb, 1, 3, 5),
        enc::load(Opcode::Lw, 11, 3, 4),
        enc::load(Opcode::Lh, 11, 3, 6),
        enc::load(Opcode::Lhu, 11, 3, 2),
        enc::load(Opcode::Lb, 11, 3, 3),
        enc::load(Opcode::Lbu, 11, 3, 5),
        enc::branch(Opcode::Blt, 2, 1, 8),
        enc::alu_imm(Opcode::Addi, 12, 12, 1),
        enc::branch(Opcode::Bgeu, 1, 2, 8),
        enc::alu_imm(Opcode::Addi, 1, 1, -1),
    ]);
    let back = -4 * (asm.code.len() - top) as i32;
    asm.push([
        enc::branch(Opcode::Bne, 1, 0, back),
        enc::jal(13, 8),
        enc::alu_imm(Opcode::Addi, 12, 12, 1),
        enc::auipc(14, 1),
        enc::lui(15, 0xabcde),
    ]);
    // Input: its length, then 6 bytes of it into fresh RAM.
    asm.syscall(syscall::HINT_LEN);
    asm.li(reg::A0 as u32, HEAP_END - 0x1000)
        .li(reg::A1 as u32, 6)
        .syscall(syscall::HINT_READ);
    // keccak-f on a 200-byte state in the data segment.
    asm.li(reg::A0 as u32, DATA + 256)
        .syscall(syscall::KECCAK_PERMUTE);
    // secp256k1: P := P + Q, P := 2P, and one 256-bit modular multiplication.
    asm.li(reg::A0 as u32, POINT_P)
        .li(reg::A1 as u32, POINT_Q)
        .syscall(syscall::SECP256K1_ADD);
    asm.li(reg::A0 as u32, POINT_P)
        .syscall(syscall::SECP256K1_DOUBLE);
    asm.li(reg::A0 as u32, MULMOD_X)
        .li(reg::A1 as u32, MULMOD_X + 32)
        .syscall(syscall::UINT256_MULMOD);
    asm.li(reg::A0 as u32, 1)
        .li(reg::A1 as u32, DATA + 32)
        .li(reg::A2 as u32, 4)
        .syscall(syscall::WRITE);
    asm.li(reg::A0 as u32, DATA + 32)
        .li(reg::A1 as u32, 4)
        .syscall(syscall::COMMIT);
    asm.li(reg::A0 as u32, 3)
        .li(reg::A1 as u32, DATA)
        .syscall(syscall::HALT);
    let code = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let mut data = keccak256(OUTPUT).to_vec();
    data.extend_from_slice(OUTPUT);
    data.resize(128, 0x5a);
    data.extend((0..328u32).map(|i| (i * 13 + 1) as u8));
    data.resize((POINT_P - DATA) as usize, 0);
    data.extend(point_le(1));
    data.extend(point_le(2));
    data.extend((0..96u32).map(|i| (i * 29 + 7) as u8));
    let bytes = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code, None)
        .segment(DATA, PF_R | PF_W, data, None)
        .build();
    Program::from_elf(&bytes).expect("program loads")
}

/// The run's input: 9 bytes, of which it reads 6.
pub(crate) fn stdin() -> Stdin {
    Stdin::from_raw((1..=9).collect())
}

pub(crate) fn honest_traces() -> (RiscvMachine, MachineTraces) {
    let machine = RiscvMachine::new(program());
    let stdin = stdin();
    let (out, record) = machine.execute(&stdin).expect("runs");
    assert_eq!(
        (out.exit_code, out.public_output.as_slice()),
        (3, &OUTPUT[..])
    );
    let traces = machine.generate_traces(&out, &record).expect("traces");
    (machine, traces)
}

pub(crate) fn instances(t: &MachineTraces) -> Vec<DebugInstance<'_, RiscvChip>> {
    t.chips
        .iter()
        .zip(&t.traces)
        .zip(&t.public_values)
        .map(|((air, trace), public_values)| DebugInstance {
            air,
            trace,
            public_values,
        })
        .collect()
}
