//! The KECCAK_PERMUTE precompile: runs that use it are proven and verified, and tampering with
//! either keccak chip, or with the events they come from, is rejected.

use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_W, PF_X};
use geode_executor::{Program, Stdin, keccak256};
use geode_machine::keccak::control::KeccakControlCols;
use geode_machine::keccak::permute::{CLK, col_map};
use geode_machine::{MachineTraces, RiscvMachine};
use geode_platform::memory::TEXT_START;
use geode_platform::{reg, syscall};
use geode_stark::debug::DebugFailure;
use geode_stark::{StarkProof, Val};
use p3_field::PrimeCharacteristicRing;

/// The data segment: the empty output's digest, then a 200-byte state, then another.
const DATA: u32 = TEXT_START + 0x1_0000;
const STATE: u32 = DATA + 32;

/// Permutes the state at `STATE` twice and a second state once, then halts.
fn program() -> Program {
    let mut asm = Asm::new();
    for ptr in [STATE, STATE, STATE + 200] {
        asm.li(reg::A0 as u32, ptr).syscall(syscall::KECCAK_PERMUTE);
    }
    asm.li(reg::A0 as u32, 0)
        .li(reg::A1 as u32, DATA)
        .syscall(syscall::HALT);
    let code = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let mut data = keccak256(b"").to_vec();
    data.extend((0..400u32).map(|i| (i * 7 + 3) as u8));
    let bytes = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code, None)
        .segment(DATA, PF_R | PF_W, data, None)
        .build();
    Program::from_elf(&bytes).expect("program loads")
}

fn traces() -> MachineTraces {
    let machine = RiscvMachine::new(program());
    let (out, record) = machine.execute(&Stdin::new()).unwrap();
    assert_eq!(record.keccak.len(), 3);
    machine.generate_traces(&out, &record).unwrap()
}

fn tampered(chip: &str, row: usize, col: usize, f: impl Fn(Val) -> Val) -> Vec<DebugFailure> {
    let mut t = traces();
    let trace = t.trace_mut(chip).expect("chip present");
    let width = trace.width;
    trace.values[row * width + col] = f(trace.values[row * width + col]);
    t.debug_check().expect_err("tampering must be caught")
}

/// Whether a failure names `subject` (a bus, or the chip of a failed constraint).
fn names_bus(failures: &[DebugFailure], subject: &str) -> bool {
    failures.iter().any(|f| f.subject() == subject)
}

#[test]
fn permutations_are_proven_and_verified() {
    traces().debug_check().expect("honest traces pass");
    let machine = RiscvMachine::new(program());
    let (out, proof) = machine.prove(&Stdin::new()).expect("proves");
    let proof = StarkProof::from_bytes(&proof.to_bytes().unwrap()).unwrap();
    assert!(proof.chips.iter().any(|c| c == "keccak_permute"));
    machine
        .verify(&proof, 0, &out.public_output)
        .expect("verifies");
}

#[test]
fn a_wrong_output_lane_is_rejected() {
    // The control chip writes another output word than the permutation computed.
    let c = KeccakControlCols::<usize>::col_map();
    // Row 3: the first call's lane 3.
    let failures = tampered("keccak_control", 3, c.output[1][2], |v| v + Val::ONE);
    assert!(names_bus(&failures, "keccak"), "{failures:?}");
}

#[test]
fn a_dropped_or_forged_memory_access_is_rejected() {
    let c = KeccakControlCols::<usize>::col_map();
    // The input read at another time, or found with another value.
    // (The timestamp gap no longer matches its limbs: a constraint of the control chip.)
    let failures = tampered("keccak_control", 30, c.words[0].prev_ts, |v| v + Val::ONE);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
    let failures = tampered("keccak_control", 30, c.words[1].prev_value[0], |v| {
        v + Val::ONE
    });
    assert!(names_bus(&failures, "keccak"), "{failures:?}");
    // A dropped write: lane 5's low word left as it was found.
    let mut t = traces();
    let trace = t.trace_mut("keccak_control").unwrap();
    let width = trace.width;
    for k in 0..4 {
        let found = trace.values[5 * width + c.words[0].prev_value[k]];
        trace.values[5 * width + c.output[0][k]] = found;
    }
    let failures = t.debug_check().expect_err("a dropped write");
    assert!(names_bus(&failures, "keccak"), "{failures:?}");
    // The whole call dropped: a first row that is not real (and its lookups, the CPU's ecall
    // and the memory chain left unmatched).
    let failures = tampered("keccak_control", 50, c.is_real, |_| Val::ZERO);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
}

#[test]
fn a_permutation_of_another_input_is_rejected() {
    // The second block's preimage changed: keccak-air's own constraints or the keccak bus fail.
    let m = col_map();
    let failures = tampered("keccak_permute", 24 + 5, m.preimage[1][2][0], |v| {
        v + Val::ONE
    });
    assert!(names_bus(&failures, "keccak_permute"), "{failures:?}");
    // The whole second block forged consistently to another input: regenerate it from a
    // different state and splice it in. Only the bus can tell.
    let mut t = traces();
    let machine = RiscvMachine::new(program());
    let (_, mut other) = machine.execute(&Stdin::new()).unwrap();
    other.keccak[1].input[0] ^= 1;
    let forged = geode_machine::keccak::permute::generate_trace(&other);
    let trace = t.trace_mut("keccak_permute").unwrap();
    let width = trace.width;
    trace.values[24 * width..48 * width].copy_from_slice(&forged.values[24 * width..48 * width]);
    let failures = t.debug_check().expect_err("a permutation of another input");
    assert!(names_bus(&failures, "keccak"), "{failures:?}");
    assert!(
        failures
            .iter()
            .all(|f| matches!(f, DebugFailure::Bus { .. })),
        "keccak-air accepts the forged block itself: {failures:?}"
    );
}

#[test]
fn a_call_is_exactly_25_lanes_of_one_cycle() {
    let c = KeccakControlCols::<usize>::col_map();
    // A lane skipped, a lane moved to another cycle, a second call started mid-way.
    let failures = tampered("keccak_control", 10, c.lane, |v| v + Val::ONE);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
    let failures = tampered("keccak_control", 10, c.clk, |v| v + Val::ONE);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
    let failures = tampered("keccak_control", 10, c.is_first, |_| Val::ONE);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
}

#[test]
fn a_forged_syscall_or_cycle_is_rejected() {
    // A padding control row made real: a syscall the CPU never made.
    let c = KeccakControlCols::<usize>::col_map();
    let failures = tampered("keccak_control", 100, c.is_real, |_| Val::ONE);
    assert!(names_bus(&failures, "keccak_control"), "{failures:?}");
    // A permutation block moved to another cycle.
    let failures = tampered("keccak_permute", 23, CLK, |v| v + Val::ONE);
    assert!(names_bus(&failures, "keccak_permute"), "{failures:?}");
    // An export on a padding block: a permutation nobody asked for.
    let failures = tampered("keccak_permute", 4 * 24 - 1, col_map().export, |_| Val::ONE);
    assert!(names_bus(&failures, "keccak"), "{failures:?}");
}
