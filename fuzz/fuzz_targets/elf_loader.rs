//! `Program::from_elf` on arbitrary bytes: a typed error or a program, never a panic. A program
//! that loads must hold what the run loop relies on (`Program`'s documented invariants).
#![no_main]

use geode_executor::Program;
use geode_executor::program::MAX_TEXT_WORDS;
use geode_platform::memory::is_valid_addr;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(program) = Program::from_elf(bytes) else {
        return;
    };
    let entry = program.entry();
    assert!(entry.is_multiple_of(4), "entry {entry:#x}");
    assert!((program.text_start()..program.text_end()).contains(&entry));
    assert!(program.text_start().is_multiple_of(4) && is_valid_addr(program.text_start()));
    assert!(program.instructions().len() <= MAX_TEXT_WORDS as usize);
    for i in program.instructions() {
        assert!(i.rd < 32 && i.rs1 < 32 && i.rs2 < 32, "{i:?}");
    }
    for &addr in program.image().keys() {
        assert!(
            addr.is_multiple_of(4) && is_valid_addr(addr),
            "image word at {addr:#x}"
        );
    }
});
