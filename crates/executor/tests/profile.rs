//! Profiling counts every executed instruction once, at its pc, and every syscall call.

use geode_executor::testing::{Asm, enc};
use geode_executor::{ExecOptions, Opcode, Program, Stdin, execute, execute_profiled};
use geode_platform::syscall;

#[test]
fn profile_counts_each_instruction_and_syscall() {
    // A loop of 10 iterations (addi, bne), then a WRITE and a HALT.
    let mut asm = Asm::new();
    asm.li(1, 10);
    let top = asm.code.len();
    asm.push([
        enc::alu_imm(Opcode::Addi, 1, 1, -1),
        enc::branch(Opcode::Bne, 1, 0, -4),
    ]);
    asm.li(10, 1).li(11, 0).li(12, 0).syscall(syscall::WRITE);
    asm.halt(0);
    let program = Program::from_elf(&asm.elf()).unwrap();
    let opts = ExecOptions::default();
    let (out, profile) = execute_profiled(&program, &Stdin::new(), &opts).unwrap();
    assert_eq!(out, execute(&program, &Stdin::new(), &opts).unwrap());
    let total: u64 = profile.executed().map(|(_, n)| n).sum();
    assert_eq!(total, out.cycles);
    let at = |index: usize| profile.instructions[index];
    assert_eq!(
        (at(top), at(top + 1)),
        (10, 10),
        "the loop body runs 10 times"
    );
    assert_eq!(at(0), 1);
    assert_eq!(
        profile
            .syscalls
            .iter()
            .map(|(&id, &n)| (id, n))
            .collect::<Vec<_>>(),
        [(syscall::HALT, 1), (syscall::WRITE, 1)]
    );
    let first = profile.executed().next().unwrap();
    assert_eq!(first, (program.text_start(), 1));
}
