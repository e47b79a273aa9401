use std::collections::BTreeMap;

use geode_executor::record::{SLOT_MEM, SLOT_RD, SLOT_RS1, SLOT_RS2, timestamp};
use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_W, PF_X, enc};
use geode_executor::{ExecOptions, ExecutionRecord, Opcode, Program, Stdin, execute_recorded};
use geode_platform::memory::TEXT_START;
use geode_platform::reg;
use geode_stark::{FastParams, Val, prove, verify};
use p3_matrix::dense::RowMajorMatrix;

use crate::byte_counter::ByteCounter;
use crate::memory::testutil::{
    Access, TestChip, access_trace, byte_trace, debug, memory_message, unbalanced,
};
use crate::memory::{ImageChip, MemoryFinalChip, MemoryInitChip, finalize, init, memory_tables};

/// Loads and stores around a data segment `[0xdeadbeef, 0, 0x100, 0, …]` (64 bytes) at 0x2_0000, then
/// HALT (which reads its digest from the text).
pub(super) fn data_program() -> Program {
    data_program_with(0xdead_beef)
}

/// [`data_program`] with another first data word.
fn data_program_with(first_word: u32) -> Program {
    let mut asm = Asm::new();
    asm.li(6, 0x2_0000)
        .li(8, 0x3_0000)
        .li(9, TEXT_START)
        .push([
            enc::load(Opcode::Lw, 15, 6, 0),
            enc::load(Opcode::Lw, 7, 6, 4),
            enc::alu_imm(Opcode::Addi, 15, 15, 1),
            enc::store(Opcode::Sw, 15, 6, 0),
            enc::store(Opcode::Sb, 15, 6, 16),
            enc::store(Opcode::Sw, 15, 8, 0),
            enc::load(Opcode::Lb, 13, 9, 5),
            enc::alu_imm(Opcode::Addi, 0, 15, 3),
        ])
        .halt(0);
    let code = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let data = [first_word, 0, 0x100]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let elf = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code, None)
        .segment(0x2_0000, PF_R | PF_W, data, Some(64))
        .build();
    Program::from_elf(&elf).unwrap()
}

pub(super) fn run(program: &Program) -> ExecutionRecord {
    execute_recorded(program, &Stdin::new(), &ExecOptions::default())
        .unwrap()
        .1
}

/// Every access the record implies, as the CPU and the syscall and memory chips would make them.
fn accesses(program: &Program, record: &ExecutionRecord) -> Vec<Access> {
    let mut out = Vec::new();
    for e in &record.cpu {
        let insn = program.instructions()[((e.pc - program.text_start()) / 4) as usize];
        let (op, ts) = (insn.opcode, |slot| timestamp(e.clk, slot));
        if op.reads_rs1() {
            out.push((insn.rs1.into(), e.b, e.rs1_prev_ts, e.b, ts(SLOT_RS1)));
        }
        if op.reads_rs2() {
            out.push((insn.rs2.into(), e.c, e.rs2_prev_ts, e.c, ts(SLOT_RS2)));
        }
        if op.writes_rd() {
            out.push((
                insn.rd.into(),
                e.rd_prev_value,
                e.rd_prev_ts,
                e.a,
                ts(SLOT_RD),
            ));
        }
    }
    for s in &record.syscalls {
        let ts = timestamp(s.clk, SLOT_MEM);
        for (r, arg) in [(reg::A1, s.arg1), (reg::A2, s.arg2)] {
            out.push((r as u32, arg.value, arg.prev_ts, arg.value, ts));
        }
    }
    for m in &record.memory {
        out.push((
            m.addr,
            m.prev_value,
            m.prev_ts,
            m.value,
            timestamp(m.clk, SLOT_MEM),
        ));
    }
    out
}

/// The memory chips (and, given accesses, the access chip) with the stand-in byte table.
fn machine(program: &Program, record: &ExecutionRecord) -> Vec<(TestChip, RowMajorMatrix<Val>)> {
    let bytes = ByteCounter::new();
    let (init_rows, final_rows) = memory_tables(program, record).unwrap();
    let image = ImageChip::new(program);
    let mut chips = vec![
        (
            TestChip::Init(MemoryInitChip),
            init::generate_trace(&init_rows, &bytes),
        ),
        (TestChip::Image(image.clone()), image.generate_trace()),
        (
            TestChip::Final(MemoryFinalChip),
            finalize::generate_trace(&final_rows, &bytes),
        ),
    ];
    let accesses = accesses(program, record);
    if !accesses.is_empty() {
        chips.push((TestChip::Access, access_trace(&accesses, &bytes)));
    }
    chips.push((TestChip::Bytes, byte_trace(&bytes)));
    chips
}

#[test]
fn an_executed_run_balances_every_bus() {
    let program = data_program();
    let record = run(&program);
    assert!(record.memory.len() >= 12, "{}", record.memory.len());
    debug(&machine(&program, &record)).unwrap();
}

#[test]
fn a_stale_read_does_not_balance() {
    let program = data_program();
    let record = run(&program);
    let mut chips = machine(&program, &record);
    // The final state of word 0x2_0000 (0xdeadbef0, written by the run) -> the ELF's 0xdeadbeef
    // at the same timestamp: as if the store had never happened.
    let (_, final_rows) = memory_tables(&program, &record).unwrap();
    let k = final_rows.iter().position(|r| r.0 == 0x2_0000).unwrap();
    let ts = final_rows[k].2;
    let cols = finalize::MemoryFinalCols::<usize>::col_map();
    let row = k * finalize::MemoryFinalCols::<u8>::NUM_COLS;
    chips[2].1.values[row + cols.value[0]] = Val::new(0xef);
    let failures = debug(&chips).unwrap_err();
    let expected = BTreeMap::from([
        (memory_message(0x2_0000, 0xdead_bef0, ts), 1),
        (memory_message(0x2_0000, 0xdead_beef, ts), -1),
    ]);
    assert_eq!(unbalanced(&failures, "memory"), expected);
    assert_eq!(failures.len(), 2, "{failures:#?}");
}

fn prove_and_verify(program: &Program, record: &ExecutionRecord) -> geode_stark::StarkProof {
    let config = FastParams::DEFAULT.config();
    let (airs, traces): (Vec<_>, Vec<_>) = machine(program, record).into_iter().unzip();
    let public_values = vec![Vec::new(); airs.len()];
    let proof = prove(&config, &airs, &traces, &public_values).unwrap();
    verify(&config, &airs, &proof, &public_values).unwrap();
    proof
}

#[test]
fn init_image_and_final_balance_alone_in_a_proof() {
    let program = data_program();
    let record = ExecutionRecord::default();
    let proof = prove_and_verify(&program, &record);
    assert_eq!(
        proof.chips,
        ["memory_init", "image", "memory_final", "bytes"]
    );

    // The image is part of the verifying key: the same proof does not verify for an ELF whose
    // data differ in one word.
    let other = data_program_with(0xdead_beee);
    let config = FastParams::DEFAULT.config();
    let (airs, _): (Vec<_>, Vec<_>) = machine(&other, &record).into_iter().unzip();
    let public_values = vec![Vec::new(); airs.len()];
    assert!(verify(&config, &airs, &proof, &public_values).is_err());
}

#[test]
fn an_executed_run_proves() {
    let program = data_program();
    let proof = prove_and_verify(&program, &run(&program));
    assert_eq!(
        proof.chips,
        ["memory_init", "image", "memory_final", "access", "bytes"]
    );
}

#[test]
fn unbalanced_lookups_do_not_prove() {
    // Without the stand-in byte table, the range checks of init and final find no entries.
    let program = data_program();
    let mut chips = machine(&program, &ExecutionRecord::default());
    chips.pop();
    let config = FastParams::DEFAULT.config();
    let (airs, traces): (Vec<_>, Vec<_>) = chips.into_iter().unzip();
    let public_values = vec![Vec::new(); airs.len()];
    // Debug builds of Plonky3 panic in the prover on an unbalanced bus; release builds produce
    // a proof that does not verify.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        prove(&config, &airs, &traces, &public_values)
            .and_then(|proof| verify(&config, &airs, &proof, &public_values))
    }));
    assert!(!matches!(outcome, Ok(Ok(()))));
}
