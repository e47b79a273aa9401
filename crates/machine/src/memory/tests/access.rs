use std::collections::BTreeMap;

use geode_stark::Val;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};

use crate::byte_counter::ByteCounter;
use crate::memory::access::{MemoryAccessCols, populate_access};
use crate::memory::testutil::{
    Access, AccessTestCols, TestChip, access_trace, assert_only_unbalanced, constraint_failures,
    debug, is_table_entry, memory_message, unbalanced,
};
use crate::memory::{MemoryFinalChip, MemoryInitChip, finalize, init};

const W: usize = AccessTestCols::<u8>::NUM_COLS;

/// Register 3 written once; word 40 written, read, written again.
const ACCESSES: [Access; 4] = [
    (3, 0, 0, 5, 4),
    (40, 0, 0, 7, 9),
    (40, 7, 9, 7, 13),
    (40, 7, 13, 0x0102_0304, 20),
];

#[test]
fn a_chain_leaves_its_first_receive_and_last_send() {
    let bytes = ByteCounter::new();
    let trace = access_trace(&ACCESSES, &bytes);
    let memory = BTreeMap::from([
        (memory_message(3, 0, 0), -1),
        (memory_message(3, 5, 4), 1),
        (memory_message(40, 0, 0), -1),
        (memory_message(40, 0x0102_0304, 20), 1),
    ]);
    assert_only_unbalanced(debug(&[(TestChip::Access, trace)]), &memory, &bytes);
    // Gaps 3, 8, 3, 6: one U16 and one Pair lookup each.
    assert_eq!(bytes.count(crate::bus::ByteOp::U16, 3, 0), 2);
    assert_eq!(bytes.count(crate::bus::ByteOp::Pair, 0, 0), 4);
}

#[test]
fn init_and_final_close_the_chains() {
    let bytes = ByteCounter::new();
    let chips = [
        (TestChip::Access, access_trace(&ACCESSES, &bytes)),
        (
            TestChip::Init(MemoryInitChip),
            init::generate_trace(&[3, 40], &bytes),
        ),
        (
            TestChip::Final(MemoryFinalChip),
            finalize::generate_trace(&[(3, 5, 4), (40, 0x0102_0304, 20)], &bytes),
        ),
    ];
    assert_only_unbalanced(debug(&chips), &BTreeMap::new(), &bytes);
}

#[test]
fn eval_read_sends_the_value_it_found() {
    let bytes = ByteCounter::new();
    // value 0 is ignored by eval_read: the read leaves 7.
    let trace = access_trace(&[(40, 7, 9, 0, 13)], &bytes);
    let memory = BTreeMap::from([
        (memory_message(40, 7, 9), -1),
        (memory_message(40, 7, 13), 1),
    ]);
    assert_only_unbalanced(debug(&[(TestChip::Read, trace)]), &memory, &bytes);
}

#[test]
fn an_unused_port_sends_nothing_and_constrains_nothing() {
    let cols = AccessTestCols::<usize>::col_map();
    let mut trace = access_trace(&[], &ByteCounter::new());
    // Garbage in every access cell of a row with count 0.
    for col in [
        cols.addr,
        cols.ts,
        cols.access.prev_ts,
        cols.access.diff_lo,
        cols.access.diff_hi,
    ] {
        trace.values[col] = Val::from_u32(0x7777);
    }
    debug(&[(TestChip::Access, trace)]).unwrap();
}

/// The gadget's limbs for a gap that is not in `[0, 2^24)`: the low 16 bits of its canonical
/// form, and whatever completes it.
fn forced_limbs(gap: Val) -> (Val, Val) {
    let lo = Val::from_u32(gap.as_canonical_u32() & 0xffff);
    (lo, (gap - lo) * Val::from_u32(1 << 16).inverse())
}

#[test]
fn a_timestamp_going_backwards_has_no_decomposition() {
    // prev_ts = ts + back (back ≥ 0) makes the gap −(back + 1): for every diff_lo, the diff_hi
    // that completes it is not a byte.
    for back in [0u32, 1, 5, (1 << 24) - 1] {
        let gap = -Val::from_u32(back + 1);
        for lo in 0..1u32 << 16 {
            let hi = (gap - Val::from_u32(lo)) * Val::from_u32(1 << 16).inverse();
            assert!(
                hi.as_canonical_u32() >= 256,
                "prev_ts = ts + {back}, lo {lo}"
            );
        }
    }
}

#[test]
fn a_backwards_access_fails_in_the_trace() {
    let cols = AccessTestCols::<usize>::col_map();
    let bytes = ByteCounter::new();
    let mut trace = access_trace(&ACCESSES, &bytes);
    // Row 2 reads word 40 at ts 13: prev_ts 9 (valid) -> 13, the same timestamp (corrupt).
    let row = 2 * W;
    trace.values[row + cols.access.prev_ts] = Val::from_u32(13);
    let failures = debug(&[(TestChip::Access, trace.clone())]).unwrap_err();
    assert_eq!(constraint_failures(&failures), [("access".to_owned(), 2)]);
    // Re-solving the limbs satisfies the constraint but needs a lookup outside the table.
    let (lo, hi) = forced_limbs(-Val::ONE);
    trace.values[row + cols.access.diff_lo] = lo;
    trace.values[row + cols.access.diff_hi] = hi;
    let failures = debug(&[(TestChip::Access, trace)]).unwrap_err();
    assert_eq!(constraint_failures(&failures), []);
    let lookups = unbalanced(&failures, "byte");
    assert!(lookups.keys().any(|m| !is_table_entry(m)), "{lookups:?}");
}

#[test]
#[should_panic(expected = "is not provable")]
fn populate_rejects_a_backwards_access() {
    let mut cols = MemoryAccessCols::<Val>::default();
    populate_access(&mut cols, 0, 13, 13, &ByteCounter::new());
}

#[test]
#[should_panic(expected = "is not provable")]
fn populate_rejects_timestamps_past_2_24() {
    let mut cols = MemoryAccessCols::<Val>::default();
    populate_access(&mut cols, 0, 0, 1 << 24, &ByteCounter::new());
}

#[test]
fn the_largest_gap_fits() {
    let mut cols = MemoryAccessCols::<Val>::default();
    let bytes = ByteCounter::new();
    populate_access(&mut cols, 0x0403_0201, 0, (1 << 24) - 1, &bytes);
    assert_eq!(
        (cols.diff_lo, cols.diff_hi),
        (Val::from_u32(0xfffe), Val::from_u32(0xff))
    );
    assert_eq!(cols.prev_value, [1, 2, 3, 4].map(Val::from_u32));
}
