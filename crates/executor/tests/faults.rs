//! Every guest fault is a typed error naming the pc and the instruction, never a panic.

use geode_executor::testing::{Asm, enc};
use geode_executor::{
    AccessKind, ExecError, ExecOptions, Opcode, Program, Stdin, execute, execute_recorded,
};
use geode_platform::memory::{GUARD_END, HEAP_END, MEMORY_TOP, TEXT_START};
use geode_platform::{reg, syscall};

const X1: u32 = 1;
const A0: u32 = reg::A0 as u32;
const A1: u32 = reg::A1 as u32;
const A2: u32 = reg::A2 as u32;

/// Runs in both modes, expects the same error from each, and returns it.
fn fault(asm: &Asm, input: &Stdin, max_cycles: u64) -> ExecError {
    let program = Program::from_elf(&asm.elf()).expect("valid ELF");
    let opts = ExecOptions::with_max_cycles(max_cycles);
    let fast = execute(&program, input, &opts).expect_err("must fault");
    let recorded = execute_recorded(&program, input, &opts).expect_err("must fault");
    assert_eq!(fast, recorded);
    // Every message names the pc.
    assert!(
        fast.to_string().contains(&format!(
            "pc {:#010x}",
            fast.pc().expect("a guest fault has a pc")
        )),
        "{fast}"
    );
    fast
}

/// Address of the instruction at index `k` of the program.
fn pc_of(k: usize) -> u32 {
    TEXT_START + 4 * k as u32
}

#[test]
fn misaligned_loads_and_stores() {
    for (word, size, kind) in [
        (enc::load(Opcode::Lw, 2, X1, 1), 4, AccessKind::Load),
        (enc::load(Opcode::Lh, 2, X1, 3), 2, AccessKind::Load),
        (enc::load(Opcode::Lhu, 2, X1, 1), 2, AccessKind::Load),
        (enc::store(Opcode::Sw, 2, X1, 2), 4, AccessKind::Store),
        (enc::store(Opcode::Sh, 2, X1, 1), 2, AccessKind::Store),
    ] {
        let mut asm = Asm::new();
        asm.li(X1, HEAP_END - 64).push([word]).halt(0);
        let err = fault(&asm, &Stdin::new(), 1000);
        let ExecError::MisalignedAccess {
            pc,
            insn,
            size: s,
            kind: k,
            addr,
        } = err
        else {
            panic!("{err}");
        };
        assert_eq!((pc, insn, s, k), (pc_of(2), word, size, kind));
        assert_ne!(addr % size, 0);
    }
}

#[test]
fn accesses_outside_the_map() {
    for (base, word, kind) in [
        (0, enc::load(Opcode::Lw, 2, X1, 0), AccessKind::Load), // null pointer
        (
            GUARD_END - 4,
            enc::load(Opcode::Lbu, 2, X1, 0),
            AccessKind::Load,
        ),
        (
            MEMORY_TOP,
            enc::store(Opcode::Sw, 2, X1, 0),
            AccessKind::Store,
        ),
        (
            0xffff_fff0,
            enc::store(Opcode::Sb, 2, X1, 0),
            AccessKind::Store,
        ),
    ] {
        let mut asm = Asm::new();
        asm.li(X1, base).push([word]).halt(0);
        let err = fault(&asm, &Stdin::new(), 1000);
        let ExecError::AccessOutsideMap {
            pc,
            insn,
            addr,
            kind: k,
            ..
        } = err
        else {
            panic!("{err}");
        };
        assert_eq!((pc, insn, addr, k), (pc_of(2), word, base, kind));
    }
}

#[test]
fn illegal_and_unsupported_instructions() {
    for word in [
        0x0010_0073,
        0x3400_2573,
        0x0000_100f,
        0xffff_ffff,
        0x0000_0000,
    ] {
        let mut asm = Asm::new();
        asm.push([enc::alu_imm(Opcode::Addi, 1, 0, 1), word])
            .halt(0);
        let err = fault(&asm, &Stdin::new(), 1000);
        assert_eq!(
            err,
            ExecError::IllegalInstruction {
                pc: pc_of(1),
                insn: word
            }
        );
        assert!(err.to_string().contains("unsupported"), "{err}");
    }
}

#[test]
fn fence_is_a_no_op() {
    let mut asm = Asm::new();
    asm.push([0x0ff0_000f]).halt(3); // fence iorw, iorw
    let program = Program::from_elf(&asm.elf()).unwrap();
    let out = execute(&program, &Stdin::new(), &ExecOptions::default()).unwrap();
    assert_eq!(out.exit_code, 3);
}

#[test]
fn jumps_outside_the_text() {
    for target in [0, TEXT_START + 0x10_0000, TEXT_START + 2] {
        let mut asm = Asm::new();
        asm.li(X1, target).push([enc::jalr(0, X1, 0)]).halt(0);
        let err = fault(&asm, &Stdin::new(), 1000);
        let ExecError::PcOutsideText {
            pc,
            from_pc,
            from_insn,
        } = err
        else {
            panic!("{err}")
        };
        assert_eq!(
            (pc, from_pc, from_insn),
            (target, pc_of(2), enc::jalr(0, X1, 0))
        );
    }
}

#[test]
fn falling_off_the_end_of_the_text() {
    let mut asm = Asm::new();
    asm.push([enc::alu_imm(Opcode::Addi, 1, 0, 1)]);
    let err = fault(&asm, &Stdin::new(), 1000);
    assert!(
        matches!(err, ExecError::PcOutsideText { pc, .. } if pc == pc_of(1)),
        "{err}"
    );
}

#[test]
fn unknown_syscall() {
    let mut asm = Asm::new();
    asm.syscall(0x77).halt(0);
    let err = fault(&asm, &Stdin::new(), 1000);
    assert_eq!(
        err,
        ExecError::UnknownSyscall {
            pc: pc_of(2),
            insn: enc::ECALL,
            id: 0x77
        }
    );
}

#[test]
fn bad_syscall_arguments() {
    let cases: Vec<(Asm, &str)> = vec![
        (
            {
                let mut a = Asm::new();
                a.li(A0, 3)
                    .li(A1, HEAP_END)
                    .li(A2, 1)
                    .syscall(syscall::WRITE);
                a
            },
            "file descriptor",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, 1).li(A1, 8).li(A2, 1).syscall(syscall::WRITE);
                a
            },
            "outside the memory map",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, HEAP_END + 2).li(A1, 0).syscall(syscall::HINT_READ);
                a
            },
            "not word aligned",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, HEAP_END).li(A1, 5).syscall(syscall::HINT_READ);
                a
            },
            "left in the input",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, MEMORY_TOP - 2).li(A1, 4).syscall(syscall::COMMIT);
                a
            },
            "outside the memory map",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, HEAP_END + 1).syscall(syscall::KECCAK_PERMUTE);
                a
            },
            "not word aligned",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, MEMORY_TOP - 100).syscall(syscall::KECCAK_PERMUTE);
                a
            },
            "outside the memory map",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, 0).li(A1, 0).syscall(syscall::HALT);
                a
            },
            "outside the memory map",
        ),
        (
            {
                let mut a = Asm::new();
                a.li(A0, 0).li(A1, HEAP_END + 2).syscall(syscall::HALT);
                a
            },
            "not word aligned",
        ),
    ];
    let mut input = Stdin::new();
    input.write_slice(&[]).unwrap(); // 4 bytes of input: a 5-byte read overruns it
    for (mut asm, needle) in cases {
        asm.halt(0);
        let err = fault(&asm, &input, 1000);
        assert!(
            matches!(
                err,
                ExecError::BadSyscall {
                    insn: enc::ECALL,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains(needle), "{err} lacks {needle:?}");
    }
}

#[test]
fn cycle_limit() {
    let mut asm = Asm::new();
    asm.push([enc::jal(0, 0)]); // spin forever
    let err = fault(&asm, &Stdin::new(), 12_345);
    assert_eq!(
        err,
        ExecError::CycleLimit {
            pc: TEXT_START,
            insn: enc::jal(0, 0),
            limit: 12_345
        }
    );
}

#[test]
fn halt_reports_exit_code_and_digest_bytes() {
    let mut asm = Asm::new();
    asm.halt(42);
    let program = Program::from_elf(&asm.elf()).unwrap();
    let out = execute(&program, &Stdin::new(), &ExecOptions::default()).unwrap();
    assert_eq!(out.exit_code, 42);
    // The digest pointer was TEXT_START: the digest is the program's first 32 bytes (the code
    // is 28 bytes long; the rest of the word-padded image is zero).
    let mut first: Vec<u8> = asm.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    first.resize(32, 0);
    assert_eq!(out.output_digest.as_slice(), &first[..32]);
    assert!(!out.digest_matches());
}

#[test]
fn output_is_bounded() {
    // One WRITE of 300 MiB: refused before any copying, with a typed error.
    let mut asm = Asm::new();
    asm.li(A0, 1)
        .li(A1, GUARD_END)
        .li(A2, 300 << 20)
        .syscall(syscall::WRITE)
        .halt(0);
    let err = fault(&asm, &Stdin::new(), 1000);
    assert!(
        matches!(err, ExecError::OutputLimit { limit, .. } if limit == geode_executor::DEFAULT_MAX_OUTPUT_BYTES),
        "{err}"
    );
    // Many small COMMITs add up to the same limit.
    let program = {
        let mut asm = Asm::new();
        asm.li(A0, GUARD_END)
            .li(A1, 1024)
            .li(reg::T0 as u32, syscall::COMMIT);
        asm.push([enc::ECALL, enc::jal(0, -4)]);
        Program::from_elf(&asm.elf()).unwrap()
    };
    let opts = ExecOptions {
        max_output_bytes: 10_000,
        ..ExecOptions::default()
    };
    let err = execute(&program, &Stdin::new(), &opts).unwrap_err();
    assert!(
        matches!(err, ExecError::OutputLimit { limit: 10_000, .. }),
        "{err}"
    );
}

#[test]
fn recording_stops_at_its_timestamp_bound() {
    use geode_executor::MAX_RECORDED_CYCLES;
    // Timestamps 4 * clk + 3 of every recordable cycle stay below 2^29.
    const { assert!(4 * MAX_RECORDED_CYCLES + 3 < 1 << 29) };
    let mut asm = Asm::new();
    asm.push([enc::jal(0, 0)]);
    let program = Program::from_elf(&asm.elf()).unwrap();
    let opts = ExecOptions::with_max_cycles(u64::MAX);
    let err =
        geode_executor::execute_recorded_chunks(&program, &Stdin::new(), &opts, 1 << 20, |_| {})
            .unwrap_err();
    assert!(
        matches!(err, ExecError::CycleLimit { limit, .. } if limit == MAX_RECORDED_CYCLES),
        "{err}"
    );
}
