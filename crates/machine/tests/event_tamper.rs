//! Event-level tampering: change what the executor recorded (a result, a pc, a memory value, a
//! timestamp, a syscall argument, the exit code), regenerate every trace from the forged record,
//! and require the checker to reject them. Trace generation trusts the record, so these show
//! that the constraints, not the generator, pin down the execution.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{program, stdin};
use geode_executor::record::CpuEvent;
use geode_executor::{ExecutionOutput, ExecutionRecord, Opcode};
use geode_machine::{MachineError, RiscvMachine};
use geode_platform::syscall;

/// A change to one CPU event.
type Forgery = fn(&mut CpuEvent);

/// Whether the run, forged by `tamper`, is rejected: its traces are generated (the forgery
/// written as claimed) and the debug checker names a failure. A record whose shape no trace can
/// hold is refused by trace generation with a typed error instead, which also counts; a panic
/// fails the test.
fn rejected(tamper: impl FnOnce(&mut ExecutionOutput, &mut ExecutionRecord)) -> bool {
    let machine = RiscvMachine::new(program());
    let (mut out, mut record) = machine.execute(&stdin()).expect("runs");
    tamper(&mut out, &mut record);
    catch_unwind(AssertUnwindSafe(|| {
        match machine.generate_traces(&out, &record) {
            Err(MachineError::InvalidRecord(why)) => {
                eprintln!("refused by trace generation: {why}");
                true
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(traces) => traces.debug_check().is_err(),
        }
    }))
    .expect("trace generation must not panic on a forged record")
}

/// The index of the first CPU event at an instruction with opcode `op`.
fn first(record: &ExecutionRecord, op: Opcode) -> usize {
    let program = program();
    record
        .cpu
        .iter()
        .position(|e| {
            let index = (e.pc - program.text_start()) as usize / 4;
            program.instructions()[index].opcode == op
        })
        .unwrap_or_else(|| panic!("the run executes {op:?}"))
}

#[test]
fn the_untouched_record_is_accepted() {
    assert!(!rejected(|_, _| {}));
}

#[test]
fn forged_results_are_rejected() {
    for op in [
        Opcode::Add,
        Opcode::Sub,
        Opcode::Xor,
        Opcode::Slt,
        Opcode::Sll,
        Opcode::Sra,
        Opcode::Mul,
        Opcode::Mulh,
        Opcode::Div,
        Opcode::Remu,
        Opcode::Lw,
        Opcode::Lb,
        Opcode::Lui,
        Opcode::Auipc,
        Opcode::Jal,
    ] {
        assert!(
            rejected(|_, r| {
                let k = first(r, op);
                r.cpu[k].a ^= 1;
            }),
            "{op:?} with a flipped result bit"
        );
    }
}

#[test]
fn forged_control_flow_is_rejected() {
    // A skipped instruction, a branch going the other way, a dropped and a duplicated cycle,
    // two cycles swapped.
    assert!(rejected(|_, r| r.cpu[4].pc += 4));
    assert!(rejected(|_, r| {
        let k = first(r, Opcode::Blt);
        r.cpu[k + 1].pc = r.cpu[k].pc + 4;
    }));
    assert!(rejected(|_, r| {
        r.cpu.remove(5);
    }));
    assert!(rejected(|_, r| {
        let e = r.cpu[5];
        r.cpu.insert(5, e);
    }));
    assert!(rejected(|_, r| r.cpu.swap(6, 7)));
    // Ending early: the run's last cycles cut off.
    assert!(rejected(|_, r| {
        r.cpu.truncate(r.cpu.len() - 3);
    }));
}

#[test]
fn forged_register_reads_are_rejected() {
    // An operand read as another value, or at another time than it was written.
    let forgeries: [(&str, Forgery); 4] = [
        ("b", |e| e.b += 1),
        ("c", |e| e.c ^= 0x100),
        ("rs1_prev_ts", |e| e.rs1_prev_ts += 1),
        ("rd_prev_value", |e| e.rd_prev_value ^= 1),
    ];
    for (field, forge) in forgeries {
        assert!(
            rejected(|_, r| {
                let k = first(r, Opcode::Add);
                forge(&mut r.cpu[k]);
            }),
            "ADD with a forged {field}"
        );
    }
}

#[test]
fn forged_memory_is_rejected() {
    // A store that wrote another value, a load that found another value, a stale timestamp.
    assert!(rejected(|_, r| {
        let k = r
            .memory
            .iter()
            .position(|m| m.value != m.prev_value)
            .unwrap();
        r.memory[k].value ^= 0x10;
    }));
    assert!(rejected(|_, r| r.memory[0].prev_value ^= 1));
    assert!(rejected(|_, r| r.memory[0].prev_ts += 1));
    // The final state and the initial state of a touched address.
    assert!(rejected(|_, r| r.memory_final[0].value ^= 1));
    assert!(rejected(|_, r| r.registers_final[2].ts += 1));
    assert!(rejected(|_, r| {
        r.memory_final.pop();
    }));
    // An address initialized that the run never finalizes.
    assert!(rejected(|_, r| {
        r.memory_init.push(geode_executor::record::MemoryInit {
            addr: 0x0100_0000,
            value: 0,
        });
    }));
}

#[test]
fn forged_syscalls_and_public_values_are_rejected() {
    // HINT_READ writing bytes other than the input's own is not caught (the input is private),
    // but writing them at another address, or a forged length, is.
    let hint_read = |r: &ExecutionRecord| {
        r.syscalls
            .iter()
            .position(|s| s.id == syscall::HINT_READ)
            .expect("the run reads input")
    };
    assert!(rejected(|_, r| {
        let k = hint_read(r);
        r.syscalls[k].arg0 += 4;
    }));
    assert!(rejected(|_, r| {
        let k = hint_read(r);
        r.syscalls[k].arg1.value += 1;
    }));
    // A syscall the CPU never made.
    assert!(rejected(|_, r| {
        let s = r.syscalls[0];
        r.syscalls.insert(0, s);
    }));
    // Public values that are not what HALT was given.
    assert!(rejected(|o, _| o.exit_code ^= 1));
    assert!(rejected(|o, _| o.output_digest[0] ^= 1));
}

#[test]
fn forged_precompile_results_and_operands_are_rejected() {
    let call = |r: &ExecutionRecord, id: u32| {
        r.syscalls
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.memory_start as usize)
            .expect("the run makes the call")
    };
    for (id, result_words) in [
        (syscall::SECP256K1_ADD, [3, 12]),
        (syscall::SECP256K1_DOUBLE, [0, 15]),
        (syscall::UINT256_MULMOD, [3, 7]),
    ] {
        let name = syscall::name(id).unwrap();
        // A result word written other than computed (x and y, or low and high words of r).
        for word in result_words {
            assert!(
                rejected(|_, r| {
                    let k = call(r, id) + word;
                    r.memory[k].value ^= 1 << 9;
                }),
                "{name} writing a forged word {word}"
            );
        }
        // An operand read as another value (the read stays consistent with itself).
        assert!(
            rejected(|_, r| {
                let k = call(r, id) + 1;
                r.memory[k].prev_value ^= 1;
            }),
            "{name} with a forged operand"
        );
        // The call at another pointer.
        assert!(
            rejected(|_, r| {
                let k = r.syscalls.iter().position(|s| s.id == id).unwrap();
                r.syscalls[k].arg0 += 4;
            }),
            "{name} at a moved pointer"
        );
    }
    // The second operand of an add or a mulmod read as another value.
    for (id, word) in [(syscall::SECP256K1_ADD, 20), (syscall::UINT256_MULMOD, 17)] {
        assert!(rejected(|_, r| {
            let k = call(r, id) + word;
            r.memory[k].prev_value ^= 1 << 30;
            r.memory[k].value = r.memory[k].prev_value;
        }));
    }
}
