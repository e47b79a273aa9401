//! End to end: hand-assembled RV32IM programs (ALU, branches, jumps, upper immediates, HALT)
//! are executed, proven and verified; tampered traces, proofs and claims are rejected.

use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_X, enc};
use geode_executor::{Opcode, Program, Stdin, keccak256};
use geode_machine::RiscvMachine;
use geode_platform::memory::TEXT_START;
use geode_platform::{reg, syscall};
use geode_stark::StarkProof;
use geode_stark::debug::DebugFailure;
use p3_field::PrimeCharacteristicRing;

/// Where the test ELF keeps keccak256("") for HALT to point at.
const DATA: u32 = TEXT_START + 0x1_0000;

/// Appends HALT with `code`, pointing at the digest of the empty output in the data segment.
fn halt(asm: &mut Asm, code: u32) {
    asm.li(reg::A0 as u32, code)
        .li(reg::A1 as u32, DATA)
        .syscall(syscall::HALT);
}

fn elf(asm: &Asm) -> Program {
    let code = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let bytes = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code, None)
        .segment(DATA, PF_R, keccak256(b"").to_vec(), None)
        .build();
    Program::from_elf(&bytes).expect("program loads")
}

/// Every instruction class the machine proves so far: a countdown loop with ALU work, all six
/// branch kinds, JAL/JALR (with a link and with x0), LUI/AUIPC, x0 writes, a fence, and HALT.
fn program() -> Program {
    let mut asm = Asm::new();
    asm.li(1, 5).li(2, 0x8000_0001).li(3, 0);
    let loop_start = asm.code.len();
    asm.push([
        enc::alu(Opcode::Add, 3, 3, 1),
        enc::alu(Opcode::Xor, 4, 3, 2),
        enc::alu(Opcode::Sltu, 5, 4, 2),
        enc::alu(Opcode::Slt, 6, 4, 2),
        enc::alu_imm(Opcode::Andi, 7, 4, 0x0f0),
        enc::alu_imm(Opcode::Ori, 7, 7, -2),
        enc::alu(Opcode::Sub, 8, 7, 4),
        enc::alu_imm(Opcode::Sltiu, 9, 8, 100),
        enc::alu(Opcode::Add, 0, 1, 2),    // result discarded
        0x0ff0_000f,                       // fence
        enc::branch(Opcode::Blt, 2, 1, 8), // taken (x2 is negative)
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::branch(Opcode::Bgeu, 1, 2, 8), // not taken
        enc::branch(Opcode::Beq, 1, 1, 8),  // taken
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::branch(Opcode::Bge, 1, 0, 8), // taken
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::branch(Opcode::Bltu, 0, 1, 8), // taken
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::alu_imm(Opcode::Addi, 1, 1, -1),
    ]);
    let back = -4 * (asm.code.len() - loop_start) as i32;
    asm.push([
        enc::branch(Opcode::Bne, 1, 0, back),
        enc::lui(0, 0x12345), // discarded: x0 stays 0
        enc::auipc(0, 0x12),  // likewise
    ]);
    // JAL over one word with a link in x10; AUIPC, LUI; JALR through x10 + 21 (odd: bit 0 is
    // cleared) lands on the J after the poison word; J (JAL x0) steps to HALT.
    asm.push([
        enc::jal(10, 8),
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::auipc(11, 1),
        enc::lui(12, 0xabcde),
        enc::jalr(13, 10, 21),
        enc::alu_imm(Opcode::Addi, 3, 3, 100),
        enc::jal(0, 4),
    ]);
    halt(&mut asm, 7);
    elf(&asm)
}

#[test]
fn the_run_is_proven_and_verified() {
    let machine = RiscvMachine::new(program());
    let (out, proof) = machine.prove(&Stdin::new()).expect("proves");
    assert_eq!(out.exit_code, 7);
    let proof = StarkProof::from_bytes(&proof.to_bytes().unwrap()).unwrap();
    machine
        .verify(&proof, 7, &out.public_output)
        .expect("verifies");
    // Another exit code, or another output, is not what was proven.
    assert!(machine.verify(&proof, 8, &out.public_output).is_err());
    assert!(machine.verify(&proof, 7, b"forged").is_err());
    // Another program's verifying key rejects it.
    let mut other = Asm::new();
    halt(&mut other, 7);
    assert!(
        RiscvMachine::new(elf(&other))
            .verify(&proof, 7, &out.public_output)
            .is_err()
    );
}

#[test]
fn the_honest_trace_passes_the_debug_checker() {
    let machine = RiscvMachine::new(program());
    let (out, record) = machine.execute(&Stdin::new()).unwrap();
    let traces = machine.generate_traces(&out, &record).unwrap();
    traces.debug_check().unwrap();
}

fn tampered(
    chip: &str,
    row: usize,
    column: &str,
    f: impl Fn(geode_stark::Val) -> geode_stark::Val,
) -> Vec<DebugFailure> {
    tampered_cells(chip, row, &[(column, &f)])
}

/// [`tampered`] with several cells of one row changed at once.
fn tampered_cells(
    chip: &str,
    row: usize,
    changes: &[(&str, &dyn Fn(geode_stark::Val) -> geode_stark::Val)],
) -> Vec<DebugFailure> {
    let machine = RiscvMachine::new(program());
    let (out, record) = machine.execute(&Stdin::new()).unwrap();
    let mut traces = machine.generate_traces(&out, &record).unwrap();
    let index = traces
        .chips
        .iter()
        .position(|c| geode_stark::Chip::name(c) == chip)
        .unwrap();
    let names = geode_stark::Chip::column_names(&traces.chips[index]);
    let trace = &mut traces.traces[index];
    let width = trace.width;
    // usize::MAX: the last row (padding, for the CPU).
    let row = if row == usize::MAX {
        trace.values.len() / width - 1
    } else {
        row
    };
    for (column, f) in changes {
        let col = names.iter().position(|n| n == column).unwrap();
        trace.values[row * width + col] = f(trace.values[row * width + col]);
    }
    traces.debug_check().expect_err("tampering must be caught")
}

#[test]
fn flags_that_keep_the_packed_program_field_must_be_boolean() {
    // The Program message carries the flags as one field Σ 2^i·flag_i. On the ADD (row 6:
    // branch_eq = branch_negate = 0, bits 14 and 15), branch_eq = 2 and branch_negate = −1
    // leave that field as it was, and no bus count reads them off a branch, so every bus
    // balances; only the CPU's constraints (booleanity first) can refuse it.
    use geode_stark::Val;
    let failures = tampered_cells(
        "cpu",
        6,
        &[
            ("insn.branch_eq", &|v: Val| v + Val::TWO),
            ("insn.branch_negate", &|v: Val| v - Val::ONE),
        ],
    );
    assert!(
        failures.iter().all(|f| f.subject() == "cpu"),
        "the bus balances: {:?}",
        failures
            .iter()
            .map(DebugFailure::subject)
            .collect::<Vec<_>>()
    );
    assert!(!failures.is_empty());
}

/// A branch's `taken` (`BranchCols`) in the CPU's scratch cells.
const TAKEN: &str = "scratch[4]";

#[test]
fn the_branch_scratch_names_match_the_view() {
    let branch = geode_machine::cpu::BranchCols::<usize>::col_map();
    assert_eq!(TAKEN, format!("scratch[{}]", branch.taken));
}

#[test]
fn tampered_cpu_cells_are_caught() {
    let plus_one = |v| v + geode_stark::Val::ONE;
    // Row 6 is the loop's first ADD, row 16 its BLT (taken).
    for (row, column) in [
        (6, "a[0]"),
        (7, "pc"),
        (6, "rs1_access.prev_value[0]"),
        (6, "rs2_access.prev_value[1]"),
        (6, "rd_access.prev_ts"),
        (6, "clk"),
        (6, "insn.imm_field"),
        (6, "insn.exec_op"),
        (6, "insn.is_imm"),
        // The ADD's carries (`AddCols`), now that the CPU adds itself.
        (6, "scratch[0]"),
        (6, "scratch[1]"),
        (16, TAKEN),
        // The branch's comparison, the ALU's result.
        (16, "a[0]"),
        (16, "a[1]"),
        (17, "pc"),
    ] {
        let failures = tampered("cpu", row, column, plus_one);
        assert!(!failures.is_empty(), "row {row} {column}");
    }
    // Making a padding row real (giving it a class).
    let failures = tampered("cpu", usize::MAX, "insn.is_alu", |_| geode_stark::Val::ONE);
    assert!(
        failures.iter().any(|f| f.subject() == "cpu"),
        "{failures:?}"
    );
}

#[test]
fn register_only_syscalls_are_proven() {
    // HINT_LEN (no input: 0), WRITE of 4 bytes from the data segment, COMMIT of 0 bytes; then
    // HALT. The output stays empty, so the digest is still keccak256("").
    let mut asm = Asm::new();
    asm.syscall(syscall::HINT_LEN)
        .push([enc::alu_imm(Opcode::Addi, 5, reg::A0 as u32, 0)]);
    asm.li(reg::A0 as u32, 1)
        .li(reg::A1 as u32, DATA)
        .li(reg::A2 as u32, 4)
        .syscall(syscall::WRITE);
    asm.li(reg::A0 as u32, DATA)
        .li(reg::A1 as u32, 0)
        .syscall(syscall::COMMIT);
    halt(&mut asm, 0);
    let machine = RiscvMachine::new(elf(&asm));
    let (out, proof) = machine.prove(&Stdin::new()).expect("proves");
    assert_eq!(out.stdout, keccak256(b"")[..4]);
    let proof = StarkProof::from_bytes(&proof.to_bytes().unwrap()).unwrap();
    assert!(proof.chips.iter().any(|c| c == "syscall_misc"));
    machine
        .verify(&proof, 0, &out.public_output)
        .expect("verifies");
}

/// Reads 11 input bytes to RAM, then a zero-length read, then another 8 bytes; HALT.
fn hint_program() -> Program {
    let buf = geode_platform::memory::HEAP_END - 0x1000;
    let mut asm = Asm::new();
    asm.li(reg::A0 as u32, buf)
        .li(reg::A1 as u32, 11)
        .syscall(syscall::HINT_READ);
    asm.li(reg::A0 as u32, buf + 0x100)
        .li(reg::A1 as u32, 0)
        .syscall(syscall::HINT_READ);
    asm.li(reg::A0 as u32, buf + 0x200)
        .li(reg::A1 as u32, 8)
        .syscall(syscall::HINT_READ);
    halt(&mut asm, 0);
    elf(&asm)
}

fn hint_input() -> Stdin {
    Stdin::from_raw((1..=19).collect())
}

#[test]
fn hint_reads_are_proven() {
    let machine = RiscvMachine::new(hint_program());
    let (out, record) = machine.execute(&hint_input()).unwrap();
    machine
        .generate_traces(&out, &record)
        .unwrap()
        .debug_check()
        .unwrap();
    let (out, proof) = machine.prove(&hint_input()).expect("proves");
    machine
        .verify(&proof, 0, &out.public_output)
        .expect("verifies");
}

#[test]
fn hint_read_cannot_touch_bytes_past_its_length() {
    // Row 2 writes the 11-byte read's last 3 bytes; its fourth byte must keep its old value.
    let machine = RiscvMachine::new(hint_program());
    let (out, record) = machine.execute(&hint_input()).unwrap();
    let mut traces = machine.generate_traces(&out, &record).unwrap();
    let index = traces
        .chips
        .iter()
        .position(|c| geode_stark::Chip::name(c) == "hint_read")
        .unwrap();
    let names = geode_stark::Chip::column_names(&traces.chips[index]);
    let col = names.iter().position(|n| n == "value[3]").unwrap();
    let trace = &mut traces.traces[index];
    let width = trace.width;
    trace.values[2 * width + col] = geode_stark::Val::from_u8(0x77);
    let failures = traces.debug_check().unwrap_err();
    assert!(
        failures.iter().any(|f| f.subject() == "hint_read"),
        "{failures:?}"
    );
}

#[test]
fn the_same_chips_prove_under_a_second_configuration() {
    use geode_stark::config::wide;
    let wide = wide::config(&geode_stark::FastParams::DEFAULT);
    let machine = RiscvMachine::new(program());
    let (out, record) = machine.execute(&Stdin::new()).unwrap();
    let traces = machine.generate_traces(&out, &record).unwrap();
    let proof = machine.prove_traces_with(&wide, &traces).expect("proves");
    machine
        .verify_with(&wide, &proof, 7, &out.public_output)
        .expect("verifies");
    assert!(
        machine
            .verify_with(&wide, &proof, 8, &out.public_output)
            .is_err()
    );
}

/// Proves `traces` of `machine` under the wrap configuration, verifies the proof through its
/// bytes against `exit_code`, and rejects another exit code. Prints the proving time.
fn prove_under_wrap(machine: &RiscvMachine, stdin: &Stdin, exit_code: u32) {
    use geode_stark::StarkProofOf;
    use geode_stark::config::wrap;
    let config = wrap::config(&wrap::PARAMS);
    let (out, record) = machine.execute(stdin).unwrap();
    assert_eq!(out.exit_code, exit_code);
    let traces = machine.generate_traces(&out, &record).unwrap();
    let started = std::time::Instant::now();
    let proof = machine.prove_traces_with(&config, &traces).expect("proves");
    let prove_s = started.elapsed().as_secs_f64();
    let bytes = proof.to_bytes().unwrap();
    let proof = StarkProofOf::<wrap::WrapConfig>::from_bytes(&bytes).unwrap();
    let started = std::time::Instant::now();
    machine
        .verify_with(&config, &proof, exit_code, &out.public_output)
        .expect("verifies");
    println!(
        "wrap: {} cycles, prove {prove_s:.1} s, verify {:.1} s, {} bytes, log heights {:?}",
        out.cycles,
        started.elapsed().as_secs_f64(),
        bytes.len(),
        proof.log_heights()
    );
    assert!(
        machine
            .verify_with(&config, &proof, exit_code + 1, &out.public_output)
            .is_err()
    );
}

/// The wrap configuration (Poseidon over Pallas, rate 1/8) proves the same chips; the native
/// verifier takes its proofs like any other. The toy machine of geode-stark covers the wrap
/// configuration in CI; this is the whole machine.
#[test]
#[ignore = "slow: about 2 minutes on 2 cores (Poseidon over Pallas hashes the 2^16-row tables at rate 1/8)"]
fn the_same_chips_prove_under_the_wrap_configuration() {
    prove_under_wrap(&RiscvMachine::new(program()), &Stdin::new(), 7);
}

/// `hello` under the wrap configuration, for the timing in docs/wrap.md. Skips (passes) when
/// the guest is not built (`cargo xtask build-guests`).
#[test]
#[ignore = "slow: a timing for docs/wrap.md"]
fn hello_proves_under_the_wrap_configuration() {
    let elf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../guest-programs/target/riscv32im-unknown-none-elf/release/hello"
    );
    let Ok(bytes) = std::fs::read(elf) else {
        println!("skipped: {elf} is not built");
        return;
    };
    let program = Program::from_elf(&bytes).expect("hello loads");
    prove_under_wrap(&RiscvMachine::new(program), &Stdin::new(), 0);
}
