//! Byte-table tests: the provided entries are exactly `ByteOp::entry`, the multiplicities are the
//! recorded counts, and false or misplaced lookups are unbalanced.

use geode_stark::Chip;
use geode_stark::debug::DebugFailure;
use p3_field::{PrimeCharacteristicRing, PrimeField32};

use super::columns::ByteMultCols;
use super::{BYTE_TABLE_ROWS, ByteChip};
use crate::alu::testing::{TestChip, byte_driver_trace, debug, set};
use crate::bus::ByteOp;
use crate::byte_counter::ByteCounter;

fn row(x: u32, y: u32) -> usize {
    (x + 256 * y) as usize
}

/// Byte table plus a driver looking up `lookups` (counted honestly), checked together.
fn check_lookups(lookups: &[(ByteOp, [u32; 3])]) -> Result<(), Vec<DebugFailure>> {
    let counter = ByteCounter::new();
    for &(op, entry) in lookups {
        if op
            .row_of(entry)
            .is_some_and(|(x, y)| op.entry(x, y) == Some(entry))
        {
            counter.add(op, entry);
        }
    }
    let table = ByteChip.generate_trace(&counter);
    debug(&[
        (TestChip::Byte, &table),
        (TestChip::ByteDriver, &byte_driver_trace(lookups)),
    ])
}

#[test]
fn the_table_provides_exactly_every_entry_once() {
    // Every (op, row) that `ByteOp::entry` defines, looked up once: the provided multiset (the
    // table's entry at each row, times its count 1) equals the looked-up one, so the AIR's
    // entries are exactly `ByteOp::entry`'s.
    let mut lookups = Vec::new();
    for op in ByteOp::ALL {
        for r in 0..BYTE_TABLE_ROWS {
            if let Some(entry) = op.entry(r as u8, (r >> 8) as u8) {
                lookups.push((op, entry));
            }
        }
    }
    assert_eq!(lookups.len(), 6 * BYTE_TABLE_ROWS + 256);
    check_lookups(&lookups).unwrap();
}

#[test]
fn multiplicities_are_the_recorded_counts() {
    let counter = ByteCounter::new();
    counter.pair(3, 200);
    counter.pair(3, 200);
    counter.u16(0xabcd);
    counter.add(ByteOp::Msb, [0x90, 1, 0]);
    counter.add(ByteOp::Ltu, [7, 9, 1]);
    let trace = ByteChip.generate_trace(&counter);
    let cols = ByteMultCols::<usize>::col_map();
    let width = ByteMultCols::<u8>::NUM_COLS;
    let at = |r: usize, c: usize| trace.values[r * width + c].as_canonical_u32();
    assert_eq!(at(row(3, 200), cols.pair), 2);
    assert_eq!(at(0xabcd, cols.u16), 1);
    assert_eq!(at(row(0x90, 0), cols.msb), 1);
    assert_eq!(at(row(7, 9), cols.ltu), 1);
    let total: u32 = trace.values.iter().map(|v| v.as_canonical_u32()).sum();
    assert_eq!(total, 5);
    assert_eq!(trace.values.len(), BYTE_TABLE_ROWS * width);
}

#[test]
fn false_lookups_are_unbalanced() {
    let false_entries = [
        (ByteOp::Pair, [256, 0, 0]),
        (ByteOp::Pair, [1, 2, 3]),
        (ByteOp::And, [3, 5, 2]),
        (ByteOp::Or, [1, 2, 4]),
        (ByteOp::Xor, [255, 255, 1]),
        (ByteOp::Ltu, [5, 5, 1]),
        (ByteOp::Ltu, [6, 5, 1]),
        (ByteOp::Ltu, [5, 6, 0]),
        (ByteOp::U16, [1 << 16, 0, 0]),
        (ByteOp::U16, [5, 1, 0]),
        (ByteOp::Msb, [128, 0, 0]),
        (ByteOp::Msb, [127, 1, 0]),
        (ByteOp::Msb, [5, 0, 1]),
        (ByteOp::Msb, [256, 0, 0]),
    ];
    for (op, entry) in false_entries {
        let failures = check_lookups(&[(op, entry)]).unwrap_err();
        let message = [vec![op as u32], entry.to_vec()].concat();
        assert_eq!(failures.len(), 1, "{op:?} {entry:?}: {failures:?}");
        assert!(
            matches!(&failures[0], DebugFailure::Bus { bus, message: m, net: 1, .. } if bus == "byte" && m == &message),
            "{failures:?}"
        );
    }
}

#[test]
fn a_misplaced_or_wrong_multiplicity_is_unbalanced() {
    let lookups = [(ByteOp::Pair, [3, 200, 0]), (ByteOp::Msb, [200, 1, 0])];
    check_lookups(&lookups).unwrap();
    let counter = ByteCounter::new();
    counter.pair(3, 200);
    let cols = ByteMultCols::<usize>::col_map();
    let driver = byte_driver_trace(&lookups);
    let run = |table| debug(&[(TestChip::Byte, &table), (TestChip::ByteDriver, &driver)]);

    // Msb's count at row (200, 3) instead of (200, 0): rows with y ≠ 0 provide nothing.
    let mut table = ByteChip.generate_trace(&counter);
    set(&mut table, row(200, 3), cols.msb, 1);
    let failures = run(table).unwrap_err();
    assert!(
        matches!(&failures[..], [DebugFailure::Bus { message, net: 1, .. }] if message == &[6, 200, 1, 0]),
        "{failures:?}"
    );

    // The Pair count 1 (valid) -> 2 (corrupt): provided once too often.
    let mut table = ByteChip.generate_trace(&counter);
    set(&mut table, row(3, 200), cols.pair, 2);
    set(&mut table, row(200, 0), cols.msb, 1);
    let failures = run(table).unwrap_err();
    let minus_one = geode_stark::Val::NEG_ONE.as_canonical_u32();
    assert!(
        matches!(&failures[..], [DebugFailure::Bus { message, net, .. }] if message == &[0, 3, 200, 0] && *net == minus_one),
        "{failures:?}"
    );
}

#[test]
fn a_multiplicity_on_a_y_nonzero_msb_row_provides_nothing() {
    let mut table = ByteChip.generate_trace(&ByteCounter::new());
    let cols = ByteMultCols::<usize>::col_map();
    set(&mut table, row(5, 1), cols.msb, 7);
    debug(&[(TestChip::Byte, &table)]).unwrap();
}

#[test]
fn column_names_come_from_the_struct() {
    assert_eq!(
        ByteChip.column_names(),
        ["pair", "and", "or", "xor", "ltu", "u16", "msb"]
    );
    for (k, op) in ByteOp::ALL.into_iter().enumerate() {
        assert_eq!(*ByteMultCols::<usize>::col_map().get(op), k);
    }
}
