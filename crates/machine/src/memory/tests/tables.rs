use geode_executor::record::{MemoryFinal, MemoryInit};
use geode_executor::{ExecutionRecord, Program};
use geode_platform::memory::TEXT_START;

use super::machine::{data_program, run};
use crate::memory::memory_tables;

#[test]
fn touched_image_words_are_not_initialized_by_memory_init() {
    let program = data_program();
    let record = run(&program);
    let (init, rows) = memory_tables(&program, &record).unwrap();
    // Registers, the zero word inside the data segment (not in the image map), the fresh word
    // inside it and the word outside every segment.
    let mut expected: Vec<u32> = (0..32).collect();
    expected.extend([0x2_0004, 0x2_0010, 0x3_0000]);
    assert_eq!(init, expected);

    let addrs: Vec<u32> = rows.iter().map(|r| r.0).collect();
    let mut all: Vec<u32> = expected.clone();
    all.extend(program.image().keys());
    all.sort_unstable();
    assert_eq!(
        addrs, all,
        "every initialized address is finalized once, in order"
    );

    let row = |addr: u32| *rows.iter().find(|r| r.0 == addr).unwrap();
    // Untouched image word: its ELF value at timestamp 0.
    assert_eq!(row(0x2_0008), (0x2_0008, 0x100, 0));
    // Touched image words: their last state.
    let (_, value, ts) = row(0x2_0000);
    assert_eq!(value, 0xdead_bef0);
    assert!(ts > 0);
    assert!(row(TEXT_START).2 > 0, "HALT read the digest from the text");
    assert_eq!(row(0x2_0010).1, 0xf0);
    assert_eq!(row(0).1, 0, "x0 stays 0");
    assert_eq!(row(15).1, 0xdead_bef0);
}

#[test]
fn with_no_accesses_everything_starts_and_ends_untouched() {
    let program = data_program();
    let (init, rows) = memory_tables(&program, &ExecutionRecord::default()).unwrap();
    assert_eq!(init, (0..32).collect::<Vec<u32>>());
    let mut expected: Vec<(u32, u32, u32)> = (0..32).map(|r| (r, 0, 0)).collect();
    expected.extend(program.image().iter().map(|(&a, &w)| (a, w, 0)));
    assert_eq!(rows, expected);
}

fn record_with(init: MemoryInit, last: MemoryFinal) -> ExecutionRecord {
    ExecutionRecord {
        memory_init: vec![init],
        memory_final: vec![last],
        ..Default::default()
    }
}

#[test]
fn an_initial_value_contradicting_the_image_is_an_error() {
    let program: Program = data_program();
    let record = record_with(
        MemoryInit {
            addr: 0x2_0000,
            value: 0,
        },
        MemoryFinal {
            addr: 0x2_0000,
            value: 0,
            ts: 9,
        },
    );
    let err = memory_tables(&program, &record).unwrap_err();
    assert!(err.contains("but the image holds"), "{err}");
}

#[test]
fn a_final_state_without_an_initial_one_is_an_error() {
    let program = data_program();
    let record = record_with(
        MemoryInit {
            addr: 0x3_0000,
            value: 0,
        },
        MemoryFinal {
            addr: 0x3_0004,
            value: 0,
            ts: 9,
        },
    );
    let err = memory_tables(&program, &record).unwrap_err();
    assert!(err.contains("never initialized"), "{err}");
}
