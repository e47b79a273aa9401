//! Random code and data (`FuzzProgram`: instruction words, a data segment, an input stream) run
//! for at most `FUZZ_MAX_CYCLES`: every run ends in an output or a typed `ExecError`, never a
//! panic, and the fast, recording and chunk-recording modes agree on the outcome and events.
#![no_main]

use geode_executor::testing::fuzz::{FUZZ_MAX_CYCLES, FuzzProgram};
use geode_executor::{
    ExecOptions, ExecutionRecord, Program, Stdin, execute, execute_recorded,
    execute_recorded_chunks,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let input = FuzzProgram::decode(bytes);
    let Ok(program) = Program::from_elf(&input.elf()) else {
        return;
    };
    let stdin = Stdin::from_raw(input.stdin);
    let opts = ExecOptions::with_max_cycles(FUZZ_MAX_CYCLES);
    let fast = execute(&program, &stdin, &opts);
    let recorded = execute_recorded(&program, &stdin, &opts);
    let mut chunked = ExecutionRecord::default();
    let by_chunks = execute_recorded_chunks(&program, &stdin, &opts, 61, |chunk| {
        chunked.append(std::mem::take(chunk));
    });
    match (fast, recorded) {
        (Ok(out), Ok((recorded_out, record))) => {
            assert_eq!(out, recorded_out);
            assert_eq!(by_chunks, Ok(out));
            assert_eq!(chunked, record);
        }
        (Err(fault), Err(recorded_fault)) => {
            assert_eq!(fault, recorded_fault);
            assert_eq!(by_chunks, Err(fault));
        }
        (fast, recorded) => panic!("modes disagree: fast {fast:?}, recorded {recorded:?}"),
    }
});
