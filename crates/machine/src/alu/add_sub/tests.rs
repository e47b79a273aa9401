//! ADD/SUB tests: honest traces over edge and random operands, cell tampering, false results.

use geode_executor::AluOp;
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;

use super::AddSubChip;
use super::columns::AddSubCols;
use crate::alu::AluEvent;
use crate::alu::testing::{
    Honest, TestChip, alu_driver_trace, assert_only_alu_receives, bus_fails, completable,
    constraint_fails, event, events, prove_and_verify, set,
};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::AddSub;

fn cols() -> AddSubCols<usize> {
    AddSubCols::<usize>::col_map()
}

#[test]
fn honest_trace_balances_every_bus() {
    let events = events(&AddSubChip::OPS, 256);
    Honest::new(CHIP, &events).check().unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let events: Vec<_> = [
        (0, 0),
        (u32::MAX, 1),
        (0x8000_0000, 0x8000_0000),
        (5, 7),
        (0x1234, 0xffff),
    ]
    .into_iter()
    .flat_map(|(b, c)| AddSubChip::OPS.map(|op| event(op, b, c)))
    .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn no_events_gives_a_valid_padding_trace() {
    let h = Honest::new(CHIP, &[]);
    assert_eq!(h.trace.values.len(), 2 * AddSubCols::<u8>::NUM_COLS);
    h.check().unwrap();
}

#[test]
fn proves_and_verifies() {
    prove_and_verify(CHIP, &events(&AddSubChip::OPS, 16));
}

#[test]
fn proves_and_verifies_with_no_events() {
    prove_and_verify(CHIP, &[]);
}

/// Row 0 is ADD 0x0123_4567 + 0xfedc_ba98 = 0xffff_ffff (no carries); row 1 is ADD
/// 0xff + 1 = 0x100; rows 2 and 3 are the SUBs 0x100 − 1 and 5 − 7.
fn sample() -> (Vec<AluEvent>, Honest) {
    let events = vec![
        event(AluOp::Add, 0x0123_4567, 0xfedc_ba98),
        event(AluOp::Add, 0xff, 1),
        event(AluOp::Sub, 0x100, 1),
        event(AluOp::Sub, 5, 7),
    ];
    let h = Honest::new(CHIP, &events);
    h.check().unwrap();
    (events, h)
}

fn tampered(row: usize, col: usize, value: u32) -> Vec<DebugFailure> {
    let (_, mut h) = sample();
    set(&mut h.trace, row, col, value);
    h.check().unwrap_err()
}

#[test]
fn tampered_result_byte_fails_its_carry_equation_and_the_bus() {
    // Row 0: a[1] = 0xff (valid) -> 0xfe (corrupt).
    let failures = tampered(0, cols().a[1], 0xfe);
    assert!(constraint_fails(&failures, "add_sub", 0), "{failures:?}");
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
}

#[test]
fn tampered_carry_fails() {
    // Row 1: carry[0] = 1 (valid) -> 0 (corrupt); row 0: carry[2] = 0 -> 1.
    for (row, k, value) in [(1, 0, 0), (0, 2, 1), (3, 3, 0)] {
        let failures = tampered(row, cols().carry[k], value);
        assert!(constraint_fails(&failures, "add_sub", row), "{failures:?}");
    }
    // A non-boolean carry: 2 (corrupt).
    let failures = tampered(2, cols().carry[1], 2);
    assert!(constraint_fails(&failures, "add_sub", 2), "{failures:?}");
}

#[test]
fn tampered_flags_fail() {
    // Row 0: ADD claimed as SUB: is_add 1 -> 0, is_sub 0 -> 1.
    let (_, mut h) = sample();
    set(&mut h.trace, 0, cols().is_add, 0);
    set(&mut h.trace, 0, cols().is_sub, 1);
    let failures = h.check().unwrap_err();
    assert!(constraint_fails(&failures, "add_sub", 0), "{failures:?}");
    // Both flags set: is_real = 2.
    let failures = tampered(2, cols().is_add, 1);
    assert!(constraint_fails(&failures, "add_sub", 2), "{failures:?}");
    // The flag cleared: row 3 no longer receives the driver's SUB.
    let failures = tampered(3, cols().is_sub, 0);
    assert!(bus_fails(&failures, "exec"), "{failures:?}");
}

#[test]
fn a_false_sum_has_no_witness() {
    // ADD 0x10 + 0x20 claiming 0x31 and SUB 0x30 − 0x10 claiming 0x21 (only a[0] is off).
    for (op, b, c, a) in [
        (AluOp::Add, 0x10, 0x20, 0x31),
        (AluOp::Sub, 0x30, 0x10, 0x21),
    ] {
        let driver = alu_driver_trace(&[AluEvent { op, a, b, c }]);
        let completes = |trace: &RowMajorMatrix<Val>| {
            completable(&[(CHIP, trace), (TestChip::AluDriver, &driver)])
        };
        let mut trace = Honest::new(CHIP, &[event(op, b, c)]).trace;
        set(&mut trace, 0, cols().a[0], a);
        // No boolean carries satisfy the carry equations.
        for carries in 0..16u32 {
            for k in 0..4 {
                set(&mut trace, 0, cols().carry[k], (carries >> k) & 1);
            }
            assert!(completes(&trace).is_err(), "{op:?} {carries:#b}");
        }
        // The field elements that do satisfy them are caught by the boolean checks alone.
        let (x, s) = if op == AluOp::Add { (b, a) } else { (a, b) };
        let byte = |w: u32, k: usize| Val::from_u8(w.to_le_bytes()[k]);
        let mut carry = Val::ZERO;
        for k in 0..4 {
            carry = (byte(x, k) + byte(c, k) + carry - byte(s, k)) * Val::from_u16(256).inverse();
            set(&mut trace, 0, cols().carry[k], carry.as_canonical_u32());
        }
        let failures = completes(&trace).unwrap_err();
        assert!(
            failures.iter().all(
                |f| matches!(f, DebugFailure::Constraint { chip, row: 0, .. } if chip == "add_sub")
            ),
            "{failures:?}"
        );
    }
}

#[test]
fn a_non_byte_limb_is_caught_by_the_range_check() {
    // ADD 0xff + 1 = 0x100 written as limbs [0x100, 0, 0, 0] with no carry: every constraint
    // holds, but the Pair lookup of (0x100, 0) is not in the table.
    let (_, mut h) = sample();
    set(&mut h.trace, 1, cols().a[0], 0x100);
    set(&mut h.trace, 1, cols().a[1], 0);
    set(&mut h.trace, 1, cols().carry[0], 0);
    let failures = h.check().unwrap_err();
    assert!(
        !failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Constraint { .. }))
    );
    assert!(failures.iter().any(
        |f| matches!(f, DebugFailure::Bus { bus, message, net: 1, .. } if bus == "byte" && message == &[0, 0x100, 0, 0])
    ), "{failures:?}");
}

#[test]
fn a_false_event_gives_a_trace_the_checker_rejects() {
    let mut e = event(AluOp::Add, 1, 2);
    e.a = 4;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::AddSub, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "add_sub does not prove Xor")]
fn trace_generation_rejects_another_op() {
    AddSubChip.generate_trace(&[event(AluOp::Xor, 1, 2)], &ByteCounter::new());
}
