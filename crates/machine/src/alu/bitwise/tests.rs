//! Bitwise tests: honest traces over edge and random operands, cell tampering, false results.

use geode_executor::AluOp;
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{PrimeCharacteristicRing, PrimeField32};

use super::BitwiseChip;
use super::columns::BitwiseCols;
use crate::alu::AluEvent;
use crate::alu::testing::{
    Honest, TestChip, alu_driver_trace, assert_only_alu_receives, bus_fails, completable,
    constraint_fails, event, events, prove_and_verify, set,
};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::Bitwise;

fn cols() -> BitwiseCols<usize> {
    BitwiseCols::<usize>::col_map()
}

#[test]
fn honest_trace_balances_every_bus() {
    Honest::new(CHIP, &events(&BitwiseChip::OPS, 128))
        .check()
        .unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let events: Vec<_> = [
        (0, 0),
        (u32::MAX, 0x0f0f_0f0f),
        (0x8000_0000, 0x8000_0001),
        (5, 7),
    ]
    .into_iter()
    .flat_map(|(b, c)| BitwiseChip::OPS.map(|op| event(op, b, c)))
    .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn proves_and_verifies() {
    prove_and_verify(CHIP, &events(&BitwiseChip::OPS, 8));
}

/// Row 0: XOR 0x1234_5678 ^ 0x0ff0_f00f; row 1: OR; row 2: AND of the same operands.
fn sample() -> Honest {
    let h = Honest::new(
        CHIP,
        &BitwiseChip::OPS.map(|op| event(op, 0x1234_5678, 0x0ff0_f00f)),
    );
    h.check().unwrap();
    h
}

#[test]
fn tampered_result_byte_is_not_in_the_table() {
    // Row 0: a[2] = 0x34 ^ 0xf0 = 0xc4 (valid) -> 0xc5 (corrupt).
    let mut h = sample();
    set(&mut h.trace, 0, cols().a[2], 0xc5);
    let failures = h.check().unwrap_err();
    assert!(
        failures.iter().any(
            |f| matches!(f, DebugFailure::Bus { bus, message, net: 1, .. }
            if bus == "byte" && message == &[3, 0x34, 0xf0, 0xc5])
        ),
        "{failures:?}"
    );
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
}

#[test]
fn tampered_flags_fail() {
    // Row 0: XOR relabelled as OR (is_xor 1 -> 0, is_or 0 -> 1): the Or lookups are false
    // (the operands share bits) and the message's op changes.
    let mut h = sample();
    set(&mut h.trace, 0, cols().is_xor, 0);
    set(&mut h.trace, 0, cols().is_or, 1);
    let failures = h.check().unwrap_err();
    assert!(
        bus_fails(&failures, "byte") && bus_fails(&failures, "exec"),
        "{failures:?}"
    );
    // Two flags on row 1 (OR): is_real = 2.
    let mut h = sample();
    set(&mut h.trace, 1, cols().is_and, 1);
    assert!(constraint_fails(&h.check().unwrap_err(), "bitwise", 1));
    // Row 2's flag cleared: the driver's AND is never received.
    let mut h = sample();
    set(&mut h.trace, 2, cols().is_and, 0);
    assert!(bus_fails(&h.check().unwrap_err(), "exec"));
}

#[test]
fn a_false_result_cannot_be_completed() {
    // Each op claiming its result with bit 0 or bit 31 flipped, under every flag choice: no
    // byte-table multiplicities can balance it.
    for op in BitwiseChip::OPS {
        for flip in [1, 1 << 31] {
            let mut e = event(op, 0x1234_5678, 0x0ff0_f00f);
            e.a ^= flip;
            let driver = alu_driver_trace(&[e]);
            let honest = Honest::new(CHIP, &[event(op, e.b, e.c)]);
            let mut trace = honest.trace.clone();
            for (k, byte) in e.a.to_le_bytes().into_iter().enumerate() {
                set(&mut trace, 0, cols().a[k], byte.into());
            }
            for flag in [cols().is_xor, cols().is_or, cols().is_and] {
                for f in [cols().is_xor, cols().is_or, cols().is_and] {
                    set(&mut trace, 0, f, u32::from(f == flag));
                }
                assert!(completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).is_err());
            }
            // The harness accepts the honest row.
            let true_driver = alu_driver_trace(&[event(op, e.b, e.c)]);
            completable(&[(CHIP, &honest.trace), (TestChip::AluDriver, &true_driver)]).unwrap();
        }
    }
}

#[test]
fn non_boolean_flags_cannot_select_another_op() {
    // is_xor = 2, is_or = −1 keep is_real = 1 but would turn the byte op into 3·2 − 2 = Ltu and
    // the ALU op into 5·2 − 8 = SLL: the row would "prove" SLL as bytewise b < c.
    let (b, c) = (0x0102_0304, 0x0401_0203);
    let a = u32::from_le_bytes([0, 0, 0, 1]); // b[i] < c[i] for each byte
    let driver = alu_driver_trace(&[AluEvent {
        op: AluOp::Sll,
        a,
        b,
        c,
    }]);
    let mut trace = Honest::new(CHIP, &[event(AluOp::Xor, b, c)]).trace;
    for (k, byte) in a.to_le_bytes().into_iter().enumerate() {
        set(&mut trace, 0, cols().a[k], byte.into());
    }
    set(&mut trace, 0, cols().is_xor, 2);
    set(&mut trace, 0, cols().is_or, Val::NEG_ONE.as_canonical_u32());
    let failures = completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).unwrap_err();
    assert!(
        failures
            .iter()
            .all(|f| matches!(f, DebugFailure::Constraint { row: 0, .. })),
        "only the boolean checks fail: {failures:?}"
    );
}

#[test]
fn a_false_event_gives_a_trace_the_checker_rejects() {
    let mut e = event(AluOp::And, 6, 3);
    e.a = 3;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::Bitwise, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "bitwise does not prove Add")]
fn trace_generation_rejects_another_op() {
    BitwiseChip.generate_trace(&[event(AluOp::Add, 1, 2)], &ByteCounter::new());
}
