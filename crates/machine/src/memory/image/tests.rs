use std::collections::BTreeMap;

use geode_executor::Program;
use geode_executor::testing::{ElfWriter, PF_R, PF_W, PF_X};
use geode_platform::memory::TEXT_START;
use geode_stark::Val;
use p3_air::BaseAir;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::Matrix;

use super::{ImageChip, ImageCols, ImagePrepCols};
use crate::byte_counter::ByteCounter;
use crate::memory::finalize;
use crate::memory::testutil::{
    TestChip, assert_only_unbalanced, constraint_failures, debug, memory_message, unbalanced,
};

/// Text: two words; data: a zero word between two non-zero ones.
pub(crate) fn program() -> Program {
    let text = [0x0000_0013u32, 0x0000_0073]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let data = [0xdead_beefu32, 0, 0x0000_0100]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let elf = ElfWriter::new(TEXT_START)
        .segment(TEXT_START, PF_R | PF_X, text, None)
        .segment(0x2_0000, PF_R | PF_W, data, Some(64))
        .build();
    Program::from_elf(&elf).unwrap()
}

#[test]
fn table_holds_the_non_zero_words_in_address_order() {
    let chip = ImageChip::new(&program());
    let prep = chip.preprocessed_trace().unwrap();
    assert_eq!(
        (prep.height(), prep.width()),
        (4, ImagePrepCols::<u8>::NUM_COLS)
    );
    let row = |k: usize| prep.row_slice(k).unwrap().to_vec();
    let expect = |addr: u32, word: u32| {
        let mut r = vec![Val::from_u32(addr)];
        r.extend(crate::memory::word_bytes(word));
        r.push(Val::ONE);
        r
    };
    assert_eq!(row(0), expect(TEXT_START, 0x13));
    assert_eq!(row(1), expect(TEXT_START + 4, 0x73));
    assert_eq!(row(2), expect(0x2_0000, 0xdead_beef));
    assert_eq!(row(3), expect(0x2_0008, 0x100));
    assert_eq!(chip.generate_trace().values, Val::zero_vec(4));
}

#[test]
fn sends_each_image_word_once_at_timestamp_zero() {
    let chip = ImageChip::new(&program());
    let memory: BTreeMap<_, _> = program()
        .image()
        .iter()
        .map(|(&a, &w)| (memory_message(a, w, 0), 1))
        .collect();
    assert_eq!(memory.len(), 4);
    let trace = chip.generate_trace();
    assert_only_unbalanced(
        debug(&[(TestChip::Image(chip), trace)]),
        &memory,
        &ByteCounter::new(),
    );
}

#[test]
fn final_chip_receiving_another_value_does_not_balance() {
    let program = program();
    let chip = ImageChip::new(&program);
    let bytes = ByteCounter::new();
    let mut rows: Vec<_> = program.image().iter().map(|(&a, &w)| (a, w, 0)).collect();
    let image = TestChip::Image(chip.clone());
    let final_chip = TestChip::Final(crate::memory::MemoryFinalChip);
    let honest = finalize::generate_trace(&rows, &bytes);
    assert_only_unbalanced(
        debug(&[
            (image.clone(), chip.generate_trace()),
            (final_chip.clone(), honest),
        ]),
        &BTreeMap::new(),
        &bytes,
    );
    // The data word 0xdeadbeef (the ELF's) -> 0 (what memory-init would have sent): the image
    // still sends the ELF's word, whatever the main trace says.
    rows[2].1 = 0;
    let forged = finalize::generate_trace(&rows, &ByteCounter::new());
    let failures = debug(&[(image, chip.generate_trace()), (final_chip, forged)]).unwrap_err();
    let memory = unbalanced(&failures, "memory");
    let expected = BTreeMap::from([
        (memory_message(0x2_0000, 0xdead_beef, 0), 1),
        (memory_message(0x2_0000, 0, 0), -1),
    ]);
    assert_eq!(memory, expected);
}

#[test]
fn main_trace_cannot_change_the_message() {
    let chip = ImageChip::new(&program());
    let mut trace = chip.generate_trace();
    // filler 0 (valid) -> 1 (corrupt): a constraint failure, and no message changes.
    trace.values[2 * ImageCols::<u8>::NUM_COLS + ImageCols::<usize>::col_map().filler] = Val::ONE;
    let failures = debug(&[(TestChip::Image(chip.clone()), trace)]).unwrap_err();
    assert_eq!(constraint_failures(&failures), [("image".to_owned(), 2)]);
    assert_eq!(unbalanced(&failures, "memory").len(), 4);
    assert_eq!(chip.width(), 1);
}
