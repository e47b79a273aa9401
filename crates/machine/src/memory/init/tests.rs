use std::collections::BTreeMap;

use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;

use super::{MemoryInitChip, MemoryInitCols, generate_trace};
use crate::byte_counter::ByteCounter;
use crate::memory::testutil::{
    TestChip, assert_only_unbalanced, constraint_failures, debug, is_table_entry, memory_message,
    unbalanced,
};

const W: usize = MemoryInitCols::<u8>::NUM_COLS;

fn chip() -> TestChip {
    TestChip::Init(MemoryInitChip)
}

#[test]
fn sends_each_address_at_zero() {
    let bytes = ByteCounter::new();
    let addrs = [0, 1, 31, 0x1_0000, 0x1fff_fffc];
    let trace = generate_trace(&addrs, &bytes);
    assert_eq!(trace.values.len(), 8 * W);
    let memory: BTreeMap<_, _> = addrs
        .iter()
        .map(|&a| (memory_message(a, 0, 0), 1))
        .collect();
    assert_only_unbalanced(debug(&[(chip(), trace)]), &memory, &bytes);
    // Three U16 lookups per row: lo, hi and 8·hi.
    let hi = 0x1fff_fffc_u32 >> 16;
    assert_eq!(
        bytes.count(crate::bus::ByteOp::U16, (hi << 3) as u8, (hi >> 5) as u8),
        1
    );
}

#[test]
fn empty_trace_is_all_padding() {
    let bytes = ByteCounter::new();
    let trace = generate_trace(&[], &bytes);
    assert_eq!(trace.values, Val::zero_vec(2 * W));
    debug(&[(chip(), trace)]).unwrap();
}

#[test]
fn address_at_2_29_has_no_valid_limbs() {
    let cols = MemoryInitCols::<usize>::col_map();
    let bytes = ByteCounter::new();
    let mut trace = generate_trace(&[0x1fff_fffc], &bytes);
    // addr 0x1fff_fffc (valid) -> 0x2000_0000 = 2^29 (corrupt), limbs lo = 0, hi = 2^13: the
    // limb sum holds, but 8·hi = 2^16 is not a U16.
    trace.values[cols.addr] = Val::from_u32(1 << 29);
    trace.values[cols.addr_lo] = Val::ZERO;
    trace.values[cols.addr_hi] = Val::from_u32(1 << 13);
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert_eq!(constraint_failures(&failures), []);
    let lookups = unbalanced(&failures, "byte");
    assert!(lookups.keys().any(|m| !is_table_entry(m)), "{lookups:?}");
}

#[test]
fn address_not_matching_its_limbs_fails() {
    let cols = MemoryInitCols::<usize>::col_map();
    let bytes = ByteCounter::new();
    let mut trace = generate_trace(&[0x1_0000], &bytes);
    // addr 0x1_0000 (valid) -> p − 4 (corrupt: a "negative" address).
    trace.values[cols.addr] = -Val::from_u32(4);
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert_eq!(
        constraint_failures(&failures),
        [("memory_init".to_owned(), 0)]
    );
}

#[test]
fn is_real_must_be_boolean() {
    let cols = MemoryInitCols::<usize>::col_map();
    let bytes = ByteCounter::new();
    let mut trace = generate_trace(&[40], &bytes);
    // is_real 1 (valid) -> 2 (corrupt: the address would be initialized twice).
    trace.values[cols.is_real] = Val::TWO;
    let failures = debug(&[(chip(), trace)]).unwrap_err();
    assert_eq!(
        constraint_failures(&failures),
        [("memory_init".to_owned(), 0)]
    );
}

#[test]
#[should_panic(expected = "is not below 2^29")]
fn trace_rejects_addresses_outside_the_map() {
    generate_trace(&[1 << 29], &ByteCounter::new());
}
