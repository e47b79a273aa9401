use std::collections::BTreeMap;

use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};

use super::{MemoryFinalChip, MemoryFinalCols, generate_trace};
use crate::byte_counter::ByteCounter;
use crate::memory::testutil::{
    TestChip, assert_only_unbalanced, constraint_failures, debug, is_table_entry, memory_message,
    unbalanced,
};

const W: usize = MemoryFinalCols::<u8>::NUM_COLS;

fn chip() -> TestChip {
    TestChip::Final(MemoryFinalChip)
}

const ROWS: [(u32, u32, u32); 5] = [
    (0, 0, 0),
    (2, 7, 13),
    (0x1_0000, 0x0403_0201, 0),
    (0x1_0004, 9, 40),
    (0x1fff_fffc, 0xffff_ffff, 77),
];

fn cell(row: usize, col: usize) -> usize {
    row * W + col
}

#[test]
fn receives_each_row_and_range_checks_the_gaps() {
    let bytes = ByteCounter::new();
    let trace = generate_trace(&ROWS, &bytes);
    assert_eq!(trace.values.len(), 8 * W);
    let memory: BTreeMap<_, _> = ROWS
        .iter()
        .map(|&(a, v, t)| (memory_message(a, v, t), -1))
        .collect();
    assert_only_unbalanced(debug(&[(chip(), trace)]), &memory, &bytes);
    // Four gaps, three U16 lookups each; the gap 0x1_0000 − 2 − 1 = 0xfffd has hi = 0.
    assert_eq!(bytes.count(crate::bus::ByteOp::U16, 0xfd, 0xff), 1);
}

#[test]
fn a_full_trace_needs_no_padding_row() {
    let bytes = ByteCounter::new();
    let rows = [(1, 1, 1), (3, 3, 3)];
    let trace = generate_trace(&rows, &bytes);
    assert_eq!(trace.values.len(), 2 * W);
    let memory = rows
        .iter()
        .map(|&(a, v, t)| (memory_message(a, v, t), -1))
        .collect();
    assert_only_unbalanced(debug(&[(chip(), trace)]), &memory, &bytes);
}

/// Sets the gap limbs of row `row` to whatever satisfies its gap constraint: the low 16 bits of
/// the gap's canonical form, and the `gap_hi` that completes it.
fn resolve_gap(trace: &mut p3_matrix::dense::RowMajorMatrix<Val>, row: usize) {
    let cols = MemoryFinalCols::<usize>::col_map();
    let (addr, next) = (
        trace.values[cell(row, cols.addr)],
        trace.values[cell(row + 1, cols.addr)],
    );
    let gap = next - addr - Val::ONE;
    let lo = Val::from_u32(gap.as_canonical_u32() & 0xffff);
    trace.values[cell(row, cols.gap_lo)] = lo;
    trace.values[cell(row, cols.gap_hi)] = (gap - lo) * Val::from_u32(1 << 16).inverse();
}

/// Overwrites row `row`'s address and re-solves the gaps into and out of it so that every
/// constraint holds; returns the report.
fn with_address(row: usize, addr: Val) -> Vec<geode_stark::debug::DebugFailure> {
    let cols = MemoryFinalCols::<usize>::col_map();
    let mut trace = generate_trace(&ROWS, &ByteCounter::new());
    trace.values[cell(row, cols.addr)] = addr;
    resolve_gap(&mut trace, row - 1);
    if row + 1 < ROWS.len() {
        resolve_gap(&mut trace, row);
    }
    debug(&[(chip(), trace)]).unwrap_err()
}

#[test]
fn repeated_address_has_no_valid_gap() {
    // Row 3's address 0x1_0004 (valid) -> 0x1_0000, row 2's (corrupt: finalized twice).
    let failures = with_address(3, Val::from_u32(0x1_0000));
    assert_eq!(constraint_failures(&failures), []);
    assert!(
        unbalanced(&failures, "byte")
            .keys()
            .any(|m| !is_table_entry(m)),
        "{failures:#?}"
    );
}

#[test]
fn decreasing_address_has_no_valid_gap() {
    // Row 4's address 0x1fff_fffc (valid) -> 0x8 (corrupt: below row 3's).
    let failures = with_address(4, Val::from_u32(8));
    assert_eq!(constraint_failures(&failures), []);
    assert!(
        unbalanced(&failures, "byte")
            .keys()
            .any(|m| !is_table_entry(m)),
        "{failures:#?}"
    );
    // Without re-solving the limbs, the gap constraint itself fails.
    let cols = MemoryFinalCols::<usize>::col_map();
    let mut trace = generate_trace(&ROWS, &ByteCounter::new());
    trace.values[cell(4, cols.addr)] = Val::from_u32(8);
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert_eq!(
        constraint_failures(&failures),
        [("memory_final".to_owned(), 3)]
    );
}

#[test]
fn repeated_address_gap_has_no_limbs_at_all() {
    // Exhaustive over the low limb: a gap of −1 (a repeated address) forces hi out of range.
    let gap = -Val::ONE;
    let shift_inv = Val::from_u32(1 << 16).inverse();
    for lo in 0..1u32 << 16 {
        let hi = ((gap - Val::from_u32(lo)) * shift_inv).as_canonical_u32();
        assert!(hi >= 1 << 13, "lo {lo} hi {hi}");
    }
}

#[test]
fn padding_then_real_fails() {
    let cols = MemoryFinalCols::<usize>::col_map();
    let mut trace = generate_trace(&ROWS, &ByteCounter::new());
    // Row 5 is padding, row 6 too. Row 6 is_real 0 (valid) -> 1 (corrupt: a real row after
    // padding, which could finalize any address without an ordering check).
    trace.values[cell(6, cols.is_real)] = Val::ONE;
    trace.values[cell(6, cols.addr)] = Val::from_u32(40);
    let failures = debug(&[(chip(), trace.clone())]).unwrap_err();
    assert!(constraint_failures(&failures).contains(&("memory_final".to_owned(), 5)));
    // Setting row 5's has_next too moves the failure to "a padding row has a next row".
    trace.values[cell(5, cols.has_next)] = Val::ONE;
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert!(constraint_failures(&failures).contains(&("memory_final".to_owned(), 5)));
}

#[test]
fn last_row_cannot_claim_a_next_row() {
    let cols = MemoryFinalCols::<usize>::col_map();
    let rows = [(1, 1, 1), (3, 3, 3)];
    let mut trace = generate_trace(&rows, &ByteCounter::new());
    // Row 1 (the last) has_next 0 (valid) -> 1 (corrupt: it would compare with row 0).
    trace.values[cell(1, cols.has_next)] = Val::ONE;
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert!(constraint_failures(&failures).contains(&("memory_final".to_owned(), 1)));
}

#[test]
#[should_panic(expected = "not increasing")]
fn trace_rejects_unsorted_rows() {
    generate_trace(&[(8, 0, 0), (4, 0, 0)], &ByteCounter::new());
}
