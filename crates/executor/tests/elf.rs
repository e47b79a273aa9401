//! ELF loading: well-formed riscv32im executables load; everything else is a typed error.

use geode_executor::testing::{Asm, ElfWriter, PF_R, PF_W, PF_X, enc};
use geode_executor::{ElfError, Opcode, Program};
use geode_platform::memory::{GUARD_END, MEMORY_TOP, TEXT_START};

fn code() -> Vec<u8> {
    let mut asm = Asm::new();
    asm.halt(0);
    asm.code.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn good() -> ElfWriter {
    ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code(), None)
        .segment(
            TEXT_START + 0x1000,
            PF_R | PF_W,
            vec![1, 2, 3, 4, 5],
            Some(0x2000),
        )
}

fn load(w: &ElfWriter) -> Result<Program, ElfError> {
    Program::from_elf(&w.build())
}

#[test]
fn loads_a_well_formed_executable() {
    let p = load(&good()).unwrap();
    assert_eq!((p.entry(), p.text_start()), (TEXT_START, TEXT_START));
    assert_eq!(p.instructions().len(), code().len() / 4);
    assert_eq!(p.image().get(&(TEXT_START + 0x1000)), Some(&0x0403_0201));
    assert_eq!(p.image().get(&(TEXT_START + 0x1004)), Some(&0x05));
    assert_eq!(p.instructions()[0].opcode, Opcode::Lui);
}

#[test]
fn rejects_wrong_headers() {
    let mut w = good();
    w.class = 2;
    assert!(matches!(
        load(&w),
        Err(ElfError::Not32Bit | ElfError::Malformed(_))
    ));
    let mut w = good();
    w.data_encoding = 2;
    assert!(matches!(
        load(&w),
        Err(ElfError::NotLittleEndian | ElfError::Malformed(_))
    ));
    let mut w = good();
    w.machine = 0x3e; // x86-64
    assert_eq!(load(&w).unwrap_err(), ElfError::NotRiscv(0x3e));
    let mut w = good();
    w.elf_type = 1; // relocatable
    assert_eq!(load(&w).unwrap_err(), ElfError::NotExecutable(1));
    for flags in [0x1, 0x2, 0x4, 0x8] {
        let mut w = good();
        w.flags = flags;
        assert_eq!(load(&w).unwrap_err(), ElfError::UnsupportedFlags(flags));
    }
}

#[test]
fn rejects_garbage_and_truncation() {
    assert!(matches!(
        Program::from_elf(b""),
        Err(ElfError::Malformed(_))
    ));
    assert!(matches!(
        Program::from_elf(b"\x7fELF"),
        Err(ElfError::Malformed(_))
    ));
    assert!(matches!(
        Program::from_elf(&[0xAB; 100]),
        Err(ElfError::Malformed(_))
    ));
    let bytes = good().build();
    // Every prefix is rejected with a typed error, never a panic.
    for len in 0..bytes.len() {
        assert!(
            Program::from_elf(&bytes[..len]).is_err(),
            "prefix of {len} bytes loaded"
        );
    }
    let w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, code(), Some(4));
    assert!(matches!(
        load(&w),
        Err(ElfError::TruncatedSegment { index: 0, .. })
    ));
}

#[test]
fn rejects_segments_outside_the_map() {
    for vaddr in [0, GUARD_END - 0x100, MEMORY_TOP - 4, 0xffff_f000] {
        let w = good().segment(vaddr, PF_R | PF_W, vec![0; 16], None);
        assert!(
            matches!(load(&w), Err(ElfError::SegmentOutsideMap { index: 2, .. })),
            "{vaddr:#x}: {:?}",
            load(&w)
        );
    }
    // Memory size reaching past the top, with no file bytes.
    let w = good().segment(MEMORY_TOP - 0x1000, PF_R | PF_W, vec![], Some(0x2000));
    assert!(matches!(load(&w), Err(ElfError::SegmentOutsideMap { .. })));
}

#[test]
fn rejects_overlapping_segments() {
    let w = good().segment(TEXT_START + 0x2000, PF_R | PF_W, vec![0; 8], None);
    assert_eq!(
        load(&w).unwrap_err(),
        ElfError::OverlappingSegments {
            first: 1,
            second: 2
        }
    );
}

#[test]
fn rejects_empty_text_and_bad_entries() {
    let w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_W, vec![1; 8], None);
    assert_eq!(load(&w).unwrap_err(), ElfError::EmptyText);
    for entry in [TEXT_START + 2, TEXT_START + 0x1000, 0] {
        let mut w = good();
        w.entry = entry;
        assert_eq!(load(&w).unwrap_err(), ElfError::BadEntry(entry));
    }
    let w = ElfWriter::new(TEXT_START + 2).segment(TEXT_START + 2, PF_R | PF_X, code(), None);
    assert!(matches!(load(&w), Err(ElfError::MisalignedText { .. })));
}

#[test]
fn data_words_in_text_fault_only_if_executed() {
    let mut bytes = code();
    bytes.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
    let w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, bytes, None);
    let p = load(&w).unwrap();
    assert_eq!(p.instructions().last().unwrap().opcode, Opcode::Illegal);
    let _ = enc::ECALL;
}

#[test]
fn rejects_hostile_text_layouts() {
    // Two 4-byte code segments 512 MiB apart: the text span would be a 2^27-entry table.
    let w = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code(), None)
        .segment(MEMORY_TOP - 0x1000, PF_R | PF_X, vec![0x13, 0, 0, 0], None);
    assert!(
        matches!(load(&w), Err(ElfError::TextTooLarge { .. })),
        "{:?}",
        load(&w)
    );
    // Code whose size is not whole words.
    let mut bytes = code();
    bytes.push(0x13);
    let w = ElfWriter::new(TEXT_START).segment(TEXT_START, PF_R | PF_X, bytes, Some(0x100));
    assert!(matches!(load(&w), Err(ElfError::MisalignedText { .. })));
    // Too many program headers.
    let mut w = good();
    for k in 0..100u32 {
        w = w.segment(TEXT_START + 0x10_0000 + k * 0x1000, PF_R, vec![1], None);
    }
    assert!(matches!(load(&w), Err(ElfError::Malformed(_))));
}

#[test]
fn gaps_between_code_segments_hold_the_image_word() {
    // Code, then a data word, then more code: the data word is not decoded as an instruction.
    let w = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, code(), None)
        .segment(
            TEXT_START + 0x100,
            PF_R,
            0x0000_0013u32.to_le_bytes().to_vec(),
            None,
        )
        .segment(TEXT_START + 0x200, PF_R | PF_X, code(), None);
    let p = load(&w).unwrap();
    let gap = p.instructions()[0x100 / 4];
    assert_eq!((gap.opcode, gap.imm), (Opcode::Illegal, 0x13));
    assert_eq!(p.instructions()[0x200 / 4].opcode, Opcode::Lui);
}

#[test]
fn rejects_program_headers_of_another_size() {
    // Regression: e_phentsize was ignored, so a table of 56-byte (ELF64) or 0-byte entries was
    // read as ELF32 and loaded.
    for size in [0u16, 31, 33, 56, 0xffff] {
        let mut bytes = good().build();
        bytes[42..44].copy_from_slice(&size.to_le_bytes());
        assert!(
            matches!(Program::from_elf(&bytes), Err(ElfError::Malformed(_))),
            "phentsize {size}"
        );
    }
}
