//! Instruction semantics against host arithmetic: each program loads operands, runs one
//! instruction, and commits the result, which must equal an independent reference model.

use geode_executor::testing::{Asm, enc};
use geode_executor::{ExecOptions, Opcode, Program, Stdin, execute, execute_recorded};
use geode_platform::memory::HEAP_END;
use proptest::prelude::*;

const SCRATCH: u32 = HEAP_END - 0x100;
const X1: u32 = 1;
const X2: u32 = 2;
const X3: u32 = 3;

/// Runs `asm` (which must have committed words and halted) in both modes; returns the words.
fn run_words(asm: &Asm) -> Vec<u32> {
    let program = Program::from_elf(&asm.elf()).expect("valid ELF");
    let fast = execute(&program, &Stdin::new(), &ExecOptions::default()).expect("runs");
    let (recorded, record) =
        execute_recorded(&program, &Stdin::new(), &ExecOptions::default()).expect("runs");
    assert_eq!(fast, recorded, "fast and recording modes disagree");
    assert_eq!(record.cpu.len() as u64, fast.cycles);
    fast.public_output
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Reference model of every ALU operation, written from the spec.
fn reference(op: Opcode, b: u32, c: u32) -> u32 {
    let (sb, sc) = (i64::from(b as i32), i64::from(c as i32));
    let (ub, uc) = (i64::from(b), i64::from(c));
    let shamt = c % 32;
    match op {
        Opcode::Add | Opcode::Addi => (ub + uc) as u32,
        Opcode::Sub => (ub - uc) as u32,
        Opcode::Sll | Opcode::Slli => ((ub << shamt) & 0xffff_ffff) as u32,
        Opcode::Slt | Opcode::Slti => (sb < sc) as u32,
        Opcode::Sltu | Opcode::Sltiu => (ub < uc) as u32,
        Opcode::Xor | Opcode::Xori => b ^ c,
        Opcode::Srl | Opcode::Srli => (ub >> shamt) as u32,
        Opcode::Sra | Opcode::Srai => (sb >> shamt) as u32,
        Opcode::Or | Opcode::Ori => b | c,
        Opcode::And | Opcode::Andi => b & c,
        Opcode::Mul => (i128::from(sb) * i128::from(sc)) as u32,
        Opcode::Mulh => ((i128::from(sb) * i128::from(sc)) >> 32) as u32,
        Opcode::Mulhsu => ((i128::from(sb) * i128::from(uc)) >> 32) as u32,
        Opcode::Mulhu => ((i128::from(ub) * i128::from(uc)) >> 32) as u32,
        Opcode::Div if c == 0 => u32::MAX,
        Opcode::Div => {
            let q = sb / sc; // i64: i32::MIN / -1 = 2^31, which wraps to i32::MIN below
            q as u32
        }
        Opcode::Divu if c == 0 => u32::MAX,
        Opcode::Divu => b / c,
        Opcode::Rem if c == 0 => b,
        Opcode::Rem => (sb % sc) as u32,
        Opcode::Remu if c == 0 => b,
        Opcode::Remu => b % c,
        other => panic!("{other} has no ALU reference"),
    }
}

const RR_OPS: [Opcode; 18] = geode_executor::testing::REG_REG_OPS;
const RI_OPS: [Opcode; 9] = [
    Opcode::Addi,
    Opcode::Slti,
    Opcode::Sltiu,
    Opcode::Xori,
    Opcode::Ori,
    Opcode::Andi,
    Opcode::Slli,
    Opcode::Srli,
    Opcode::Srai,
];

const EDGES: [u32; 10] = [
    0,
    1,
    2,
    31,
    32,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0xffff_fffe,
    0x1234_5678,
];

fn rr_program(pairs: &[(Opcode, u32, u32)]) -> Asm {
    let mut asm = Asm::new();
    for &(op, b, c) in pairs {
        asm.li(X1, b)
            .li(X2, c)
            .push([enc::alu(op, X3, X1, X2)])
            .commit_reg(X3, SCRATCH);
    }
    asm.halt(0);
    asm
}

#[test]
fn register_ops_on_edge_cases() {
    let cases: Vec<_> = RR_OPS
        .iter()
        .flat_map(|&op| {
            EDGES
                .iter()
                .flat_map(move |&b| EDGES.iter().map(move |&c| (op, b, c)))
        })
        .collect();
    let got = run_words(&rr_program(&cases));
    for (&(op, b, c), got) in cases.iter().zip(got) {
        assert_eq!(got, reference(op, b, c), "{op} {b:#x}, {c:#x}");
    }
}

#[test]
fn writes_to_x0_are_discarded() {
    let mut asm = Asm::new();
    asm.li(X1, 7).push([
        enc::alu_imm(Opcode::Addi, 0, X1, 5),
        enc::alu(Opcode::Add, X3, 0, X1),
    ]);
    asm.commit_reg(X3, SCRATCH).commit_reg(0, SCRATCH).halt(0);
    assert_eq!(run_words(&asm), vec![7, 0]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn register_ops(b in any::<u32>(), c in any::<u32>(), small in 0u32..64) {
        // Each op on (b, c) and on (b, small) so shifts and division see small divisors.
        let cases: Vec<_> = RR_OPS.iter().flat_map(|&op| [(op, b, c), (op, b, small)]).collect();
        let got = run_words(&rr_program(&cases));
        for (&(op, b, c), got) in cases.iter().zip(got) {
            prop_assert_eq!(got, reference(op, b, c), "{} {:#x}, {:#x}", op, b, c);
        }
    }

    #[test]
    fn immediate_ops(b in any::<u32>(), imm in -2048i32..2048) {
        let mut asm = Asm::new();
        for op in RI_OPS {
            asm.li(X1, b).push([enc::alu_imm(op, X3, X1, imm)]).commit_reg(X3, SCRATCH);
        }
        asm.halt(0);
        for (op, got) in RI_OPS.iter().zip(run_words(&asm)) {
            let c = if matches!(op, Opcode::Slli | Opcode::Srli | Opcode::Srai) {
                (imm & 31) as u32
            } else {
                imm as u32
            };
            prop_assert_eq!(got, reference(*op, b, c), "{} {:#x}, {}", op, b, imm);
        }
    }

    #[test]
    fn branches(b in prop_oneof![any::<u32>(), Just(0u32), Just(0x8000_0000)], c in any::<u32>(), same in any::<bool>()) {
        let c = if same { b } else { c };
        let ops = [Opcode::Beq, Opcode::Bne, Opcode::Blt, Opcode::Bge, Opcode::Bltu, Opcode::Bgeu];
        let mut asm = Asm::new();
        asm.li(X1, b).li(X2, c);
        for op in ops {
            // x3 = 1; branch over "x3 = 0" when taken.
            asm.push([
                enc::alu_imm(Opcode::Addi, X3, 0, 1),
                enc::branch(op, X1, X2, 8),
                enc::alu_imm(Opcode::Addi, X3, 0, 0),
            ]).commit_reg(X3, SCRATCH);
        }
        asm.halt(0);
        let (sb, sc) = (b as i32, c as i32);
        let expect = [b == c, b != c, sb < sc, sb >= sc, b < c, b >= c];
        for ((op, got), want) in ops.iter().zip(run_words(&asm)).zip(expect) {
            prop_assert_eq!(got, u32::from(want), "{} {:#x}, {:#x}", op, b, c);
        }
    }

    #[test]
    fn loads_and_stores(word in any::<u32>(), value in any::<u32>(), offset in 0u32..4) {
        let base = SCRATCH + 0x40;
        let mut asm = Asm::new();
        asm.li(X1, base).li(X2, word).push([enc::store(Opcode::Sw, X2, X1, 0)]);
        asm.li(X2, value);
        let mut expect = Vec::new();
        let le = word.to_le_bytes();
        // Loads of every width at `offset` (halfwords at the aligned offset).
        let h = offset & 2;
        let half = u16::from_le_bytes([le[h as usize], le[h as usize + 1]]);
        for (op, off, want) in [
            (Opcode::Lb, offset, le[offset as usize] as i8 as u32),
            (Opcode::Lbu, offset, u32::from(le[offset as usize])),
            (Opcode::Lh, h, half as i16 as u32),
            (Opcode::Lhu, h, u32::from(half)),
            (Opcode::Lw, 0, word),
        ] {
            asm.push([enc::load(op, X3, X1, off as i32)]).commit_reg(X3, SCRATCH);
            expect.push(want);
        }
        // A byte store and a halfword store into the word, then read it back.
        asm.push([enc::store(Opcode::Sb, X2, X1, offset as i32), enc::load(Opcode::Lw, X3, X1, 0)]);
        asm.commit_reg(X3, SCRATCH);
        let mut after_sb = le;
        after_sb[offset as usize] = value as u8;
        expect.push(u32::from_le_bytes(after_sb));
        asm.push([enc::store(Opcode::Sh, X2, X1, h as i32), enc::load(Opcode::Lw, X3, X1, 0)]);
        asm.commit_reg(X3, SCRATCH);
        let mut after_sh = after_sb;
        after_sh[h as usize..h as usize + 2].copy_from_slice(&(value as u16).to_le_bytes());
        expect.push(u32::from_le_bytes(after_sh));
        asm.halt(0);
        prop_assert_eq!(run_words(&asm), expect);
    }
}

#[test]
fn jumps_link_and_clear_bit_zero() {
    use geode_platform::memory::TEXT_START;
    let mut asm = Asm::new();
    // 0: jal x1, +8          (skips the next instruction)
    // 4: addi x3, x0, 99     (skipped)
    // 8: auipc x4, 1         (x4 = 8 + 0x1000 + TEXT_START)
    asm.push([
        enc::jal(X1, 8),
        enc::alu_imm(Opcode::Addi, X3, 0, 99),
        enc::auipc(4, 1),
    ]);
    asm.commit_reg(X1, SCRATCH)
        .commit_reg(X3, SCRATCH)
        .commit_reg(4, SCRATCH);
    // jalr to an odd target: bit 0 is cleared, so it lands on the following instruction.
    let here = TEXT_START + 4 * asm.code.len() as u32;
    let target = here + 4 * 4; // skip li (2 words), jalr, and the poison addi
    asm.li(X2, target + 1)
        .push([enc::jalr(5, X2, 0), enc::alu_imm(Opcode::Addi, X3, 0, 77)]);
    asm.commit_reg(5, SCRATCH).commit_reg(X3, SCRATCH).halt(0);
    let got = run_words(&asm);
    assert_eq!(
        got,
        vec![TEXT_START + 4, 0, TEXT_START + 8 + 0x1000, here + 12, 0]
    );
}
