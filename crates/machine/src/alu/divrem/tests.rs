//! Division/remainder tests: RISC-V's special cases, honest traces over edge and random operands,
//! cell tampering, and no witness for any quotient and remainder but the true ones.

use geode_executor::AluOp::{self, Div, Divu, Rem, Remu};
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;

use super::DivRemChip;
use super::columns::DivRemCols;
use super::trace::{assign, complete, divide, solve_carries};
use crate::alu::testing::{
    EDGES, Honest, TestChip, alu_driver_trace, assert_only_alu_receives, completable, event,
    events, max_constraint_degree, prove_and_verify, reference, set,
};
use crate::alu::{AluEvent, word_vals};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::DivRem;
const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;

fn cols() -> DivRemCols<usize> {
    DivRemCols::<usize>::col_map()
}

/// A signed value as its word.
fn w(x: i32) -> u32 {
    x as u32
}

#[test]
fn special_cases_have_the_riscv_results() {
    let cases = [
        // The quotient rounds toward zero; the remainder takes the dividend's sign.
        (Div, w(7), w(2), w(3)),
        (Div, w(-7), w(2), w(-3)),
        (Div, w(7), w(-2), w(-3)),
        (Div, w(-7), w(-2), w(3)),
        (Rem, w(7), w(2), 1),
        (Rem, w(-7), w(2), w(-1)),
        (Rem, w(7), w(-2), 1),
        (Rem, w(-7), w(-2), w(-1)),
        (Divu, w(-7), 2, 0x7fff_fffc),
        (Remu, w(-7), 2, 1),
        // Division by zero: all ones, and the dividend.
        (Div, 5, 0, u32::MAX),
        (Div, MIN, 0, u32::MAX),
        (Divu, 0, 0, u32::MAX),
        (Divu, u32::MAX, 0, u32::MAX),
        (Rem, w(-5), 0, w(-5)),
        (Remu, u32::MAX, 0, u32::MAX),
        // Signed overflow.
        (Div, MIN, u32::MAX, MIN),
        (Rem, MIN, u32::MAX, 0),
        // Extremes.
        (Div, MIN, 1, MIN),
        (Div, MIN, MIN, 1),
        (Rem, MIN, MIN, 0),
        (Div, MAX, MIN, 0),
        (Rem, MAX, MIN, MAX),
        (Div, MIN, MAX, u32::MAX),
        (Rem, MIN, MAX, u32::MAX),
        (Div, MAX, u32::MAX, w(-i32::MAX)),
        (Divu, MIN, MAX, 1),
        (Remu, MIN, MAX, 1),
        (Divu, u32::MAX, u32::MAX, 1),
        (Remu, u32::MAX - 1, u32::MAX, u32::MAX - 1),
        (Divu, u32::MAX, 1, u32::MAX),
    ];
    let events: Vec<_> = cases
        .iter()
        .map(|&(op, b, c, a)| {
            assert_eq!(reference(op, b, c), a, "{op:?} {b:#x} {c:#x}");
            AluEvent { op, a, b, c }
        })
        .collect();
    Honest::new(CHIP, &events).check().unwrap();
}

/// Random dividends over small divisors, both signs (the edge and random operands of
/// [`events`] have mostly large ones).
fn small_divisor_events() -> Vec<AluEvent> {
    let mut x: u32 = 0x2545_f491;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let divisors = [3, 7, 10, 255, 256, 257, 1000].map(|c: i32| [w(c), w(-c)]);
    let mut out = Vec::new();
    for op in DivRemChip::OPS {
        for c in divisors.into_iter().flatten() {
            for _ in 0..4 {
                out.push(event(op, next(), c));
            }
        }
    }
    out
}

#[test]
fn honest_trace_balances_every_bus() {
    let mut events = events(&DivRemChip::OPS, 128);
    events.extend(small_divisor_events());
    Honest::new(CHIP, &events).check().unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let pairs = [
        (100, 7),
        (w(-7), 2),
        (5, 0),
        (MIN, u32::MAX),
        (0x1234, w(-3)),
    ];
    let events: Vec<_> = pairs
        .into_iter()
        .flat_map(|(b, c)| DivRemChip::OPS.map(|op| event(op, b, c)))
        .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn no_events_gives_a_valid_padding_trace() {
    let h = Honest::new(CHIP, &[]);
    assert_eq!(h.trace.values.len(), 2 * DivRemCols::<u8>::NUM_COLS);
    h.check().unwrap();
}

#[test]
fn proves_and_verifies() {
    let mut events = events(&DivRemChip::OPS, 8);
    events.extend(small_divisor_events());
    prove_and_verify(CHIP, &events);
}

#[test]
fn constraints_have_degree_at_most_three() {
    assert_eq!(max_constraint_degree(CHIP), 3);
}

/// Row 0: DIV −7 / 2 = −3 (remainder −1); row 1: REMU 100 % 7 = 2; row 2: DIVU 5 / 0 =
/// 0xffff_ffff; row 3: DIV i32::MIN / −1 = i32::MIN (overflow); row 4: REM −5 % 0 = −5.
fn sample() -> Honest {
    let events = [
        event(Div, w(-7), 2),
        event(Remu, 100, 7),
        event(Divu, 5, 0),
        event(Div, MIN, u32::MAX),
        event(Rem, w(-5), 0),
    ];
    assert_eq!(events.map(|e| e.a), [w(-3), 2, u32::MAX, MIN, w(-5)]);
    let h = Honest::new(CHIP, &events);
    h.check().unwrap();
    h
}

/// The sample with `cells` of `row` overwritten, and whether a constraint of that row fails
/// and whether the byte and ALU buses do.
fn tampered(row: usize, cells: &[(usize, u32)]) -> (bool, bool, bool) {
    sample().tampered("divrem", row, cells)
}

#[test]
fn tampered_cells_fail() {
    let c = cols();
    let minus_one = Val::NEG_ONE.as_canonical_u32();
    // Results off by one: row 0's q[0] 0xfd (valid) -> 0xfe, row 1's r[0] 2 -> 3.
    let (constraint, _, alu) = tampered(0, &[(c.q[0], 0xfe)]);
    assert!(constraint && alu);
    let (constraint, _, alu) = tampered(1, &[(c.r[0], 3)]);
    assert!(constraint && alu);
    // A carry (row 1: 0 -> 1; row 0: 0 -> 1), a gap byte (4 = [4, 0, 0, 0]), the gap carry (0).
    assert!(tampered(1, &[(c.carry[3], 1)]).0);
    assert!(tampered(0, &[(c.carry[5], 1)]).0);
    assert!(tampered(1, &[(c.gap[1], 1)]).0);
    assert!(tampered(1, &[(c.gap_carry, minus_one)]).0);
    // The quotient's sign word: row 0 (Q = −3) 1 -> 0; row 3 (Q = 2^31) 0 -> 1; an unsigned
    // row 0 -> 1. Row 4 divides by zero, so Q is multiplied by 0: only the boolean check stops
    // a sign word of 2 (elsewhere it would also break the identity).
    assert!(tampered(0, &[(c.q_hi, 0)]).0);
    assert!(tampered(3, &[(c.q_hi, 1)]).0);
    assert!(tampered(1, &[(c.q_hi, 1)]).0);
    assert_eq!(tampered(4, &[(c.q_hi, 2)]), (true, false, false));
    // The zero-divisor flag: cleared on row 2 (the gap goes negative), set on row 1 (c ≠ 0).
    assert!(tampered(2, &[(c.c_is_zero, 0)]).0);
    assert!(tampered(1, &[(c.c_is_zero, 1)]).0);
    // Row 2 (c = 0): a quotient other than all ones.
    let (constraint, _, alu) = tampered(2, &[(c.q[3], 0xfe)]);
    assert!(constraint && alu);
    // Top bits: not the table's, and the identity reads another value.
    assert_eq!(tampered(0, &[(c.b_msb, 0)]), (true, true, false));
    assert_eq!(tampered(0, &[(c.r_msb, 0)]), (true, true, false));
    assert_eq!(tampered(3, &[(c.c_msb, 0)]), (true, true, false));
    // Row 0's DIV flag moved to REM: every constraint holds (the same division), but the row
    // now receives REM's message with a = r = −1, which nobody sends.
    assert_eq!(
        tampered(0, &[(c.is_div, 0), (c.is_rem, 1)]),
        (false, false, true)
    );
    // Row 1's flag cleared: nothing receives the driver's REMU.
    assert!(tampered(1, &[(c.is_remu, 0)]).2);
}

/// The event claiming `op(b, c)` with this integer quotient and remainder (`a` is the low 32
/// bits of the quotient for DIV and DIVU, of the remainder for REM and REMU).
fn claim(op: AluOp, b: u32, c: u32, quotient: i64, remainder: i64) -> AluEvent {
    let a = if matches!(op, Div | Divu) {
        quotient
    } else {
        remainder
    };
    AluEvent {
        op,
        a: a as u32,
        b,
        c,
    }
}

/// A one-row trace witnessing `op(b, c)` with `quotient` and `remainder`: the cells
/// [`assign`] sets, `bits` overriding `q_hi`, `c_is_zero`, `b_msb`, `c_msb`, `r_msb` (in that
/// order, as many as given), and the gap and carries completed from them.
fn witness(
    op: AluOp,
    b: u32,
    c: u32,
    (quotient, remainder): (i64, i64),
    bits: &[u32],
) -> RowMajorMatrix<Val> {
    let width = DivRemCols::<u8>::NUM_COLS;
    let mut trace = RowMajorMatrix::new(Val::zero_vec(2 * width), width);
    let row = DivRemCols::from_slice_mut(&mut trace.values[..width]);
    assign(row, op, b, c, quotient, remainder);
    let cells = [
        &mut row.q_hi,
        &mut row.c_is_zero,
        &mut row.b_msb,
        &mut row.c_msb,
        &mut row.r_msb,
    ];
    for (cell, &bit) in cells.into_iter().zip(bits) {
        *cell = Val::from_u32(bit);
    }
    complete(row);
    trace
}

/// How many witnesses of `op(b, c)` with this quotient and remainder a prover could complete.
/// Its choices are the five bits of [`witness`]: once they are fixed, each carry and the gap
/// are forced by their equations (no other byte or bounded carry solves them, see the chip's
/// soundness argument), which [`complete`] solves.
fn completable_witnesses(op: AluOp, b: u32, c: u32, claimed: (i64, i64)) -> usize {
    let driver = alu_driver_trace(&[claim(op, b, c, claimed.0, claimed.1)]);
    (0..32u32)
        .filter(|choice| {
            let bits: Vec<_> = (0..5).map(|k| (choice >> k) & 1).collect();
            let trace = witness(op, b, c, claimed, &bits);
            completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).is_ok()
        })
        .count()
}

#[test]
fn only_the_true_quotient_and_remainder_have_a_witness() {
    let mut pairs = vec![
        (100, 7),
        (w(-7), 2),
        (7, w(-2)),
        (w(-7), w(-2)),
        (w(-6), 3),
        (0, 3),
        (5, 0),
        (w(-5), 0),
        (MIN, u32::MAX),
        (MIN, 1),
        (u32::MAX, u32::MAX),
        (0x1234_5678, 0x100),
        (u32::MAX, 0x1_0000),
    ];
    pairs.extend(EDGES.iter().zip(EDGES.iter().rev()).map(|(&b, &c)| (b, c)));
    for (b, c) in pairs {
        for op in DivRemChip::OPS {
            let (q, r) = divide(op, b, c);
            let signed = matches!(op, Div | Rem);
            let ci = if signed {
                i64::from(c as i32)
            } else {
                i64::from(c)
            };
            // Signed division by zero leaves the quotient's sign word free.
            let expected = if signed && c == 0 { 2 } else { 1 };
            assert_eq!(
                completable_witnesses(op, b, c, (q, r)),
                expected,
                "{op:?} {b:#x} {c:#x}"
            );
            // The neighbouring solutions of b = Q·c + r, and off-by-one pairs.
            for wrong in [
                (q + 1, r - ci),
                (q - 1, r + ci),
                (q + 1, r),
                (q, r + 1),
                (q, r - 1),
            ] {
                if wrong != (q, r) {
                    let n = completable_witnesses(op, b, c, wrong);
                    assert_eq!(n, 0, "{op:?} {b:#x} {c:#x} claiming {wrong:?}");
                }
            }
        }
    }
}

#[test]
fn a_product_equal_only_mod_2_32_has_no_witness() {
    // 2^16 · 2^16 + 0 = 0 mod 2^32: the upper bytes of the identity rule it out.
    for op in DivRemChip::OPS {
        let claimed = (1 << 16, 0);
        assert_eq!(completable_witnesses(op, 0, 1 << 16, claimed), 0, "{op:?}");
    }
}

/// The failures of completing `trace` against the driver's claim.
fn failures_of(claimed: AluEvent, trace: &RowMajorMatrix<Val>) -> Vec<DebugFailure> {
    let driver = alu_driver_trace(&[claimed]);
    completable(&[(CHIP, trace), (TestChip::AluDriver, &driver)]).unwrap_err()
}

/// Whether every failure is a constraint of row 0, and there is one.
fn only_constraints_fail(failures: &[DebugFailure]) -> bool {
    !failures.is_empty()
        && failures
            .iter()
            .all(|f| matches!(f, DebugFailure::Constraint { chip, row: 0, .. } if chip == "divrem"))
}

#[test]
fn a_remainder_of_the_wrong_sign_is_stopped_by_the_sign_check() {
    // DIV 100 / 7 claiming 15 (remainder −5), and REM −7 % 2 claiming 1 (quotient −4): the
    // identity holds and |r| < |c|, only the remainder's sign is wrong.
    for (op, b, c, claimed) in [(Div, 100, 7, (15, -5)), (Rem, w(-7), 2, (-4, 1))] {
        let event = claim(op, b, c, claimed.0, claimed.1);
        let failures = failures_of(event, &witness(op, b, c, claimed, &[]));
        assert!(only_constraints_fail(&failures), "{failures:?}");
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(completable_witnesses(op, b, c, claimed), 0);
    }
}

#[test]
fn a_remainder_as_large_as_the_divisor_is_stopped_by_the_gap() {
    // REMU 100 % 7 claiming 9 (quotient 13): the identity holds, the gap 7 − 9 − 1 is −3.
    let (op, b, c, claimed) = (Remu, 100, 7, (13, 9));
    let event = claim(op, b, c, claimed.0, claimed.1);
    assert_eq!(event.a, 9);
    // As a word (0xffff_fffd), the gap's high half carries into a 2^32 that only c = 0 allows.
    let failures = failures_of(event, &witness(op, b, c, claimed, &[]));
    assert!(only_constraints_fail(&failures), "{failures:?}");
    let failures = failures_of(event, &witness(op, b, c, claimed, &[0, 1]));
    assert!(only_constraints_fail(&failures), "{failures:?}");
    // As −3 = 0xfffd − 2^16 with gap[2] = −1: every constraint holds and only the range check
    // catches the non-byte.
    let mut trace = witness(op, b, c, claimed, &[]);
    let col = cols();
    let minus_one = Val::NEG_ONE.as_canonical_u32();
    for (cell, value) in [
        (col.gap[0], 0xfd),
        (col.gap[1], 0xff),
        (col.gap[2], minus_one),
        (col.gap[3], 0),
        (col.gap_carry, minus_one),
    ] {
        set(&mut trace, 0, cell, value);
    }
    let failures = failures_of(event, &trace);
    assert!(
        failures.iter().all(
            |f| matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && message == &[0, 0xff, minus_one, 0])
        ),
        "{failures:?}"
    );
}

#[test]
fn a_claimed_quotient_for_a_zero_divisor_is_all_ones() {
    // DIVU 5 / 0 claiming 0 (remainder 5): with the flag, q must be all ones; without it, the
    // gap is −|r| − 1.
    let (op, b, c, claimed) = (Divu, 5, 0, (0, 5));
    let event = claim(op, b, c, claimed.0, claimed.1);
    for flag in [0, 1] {
        let failures = failures_of(event, &witness(op, b, c, claimed, &[0, flag]));
        assert!(only_constraints_fail(&failures), "{failures:?}");
    }
    assert_eq!(completable_witnesses(op, b, c, claimed), 0);
}

#[test]
fn field_carries_are_stopped_by_the_range_check() {
    // DIVU 0 / 1 claiming p: q·c + r − b = p is 0 in the field, so the product chain closes
    // with carries solved in the field; only their U16 lookups (op 5) fail.
    let p = Val::ORDER_U32;
    let event = claim(Divu, 0, 1, p.into(), 0);
    let failures = failures_of(event, &witness(Divu, 0, 1, (p.into(), 0), &[]));
    assert!(
        failures.iter().all(
            |f| matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && message[0] == 5)
        ),
        "{failures:?}"
    );
}

#[test]
fn a_gap_equal_mod_p_is_stopped_by_the_gap_carry_range_check() {
    // REMU 100 % 7 claiming 9 (quotient 13): the gap is −3, and the word p − 3 is −3 in the
    // field. As halves 0xfffe + 2^16·0x7eff it solves both gap equations with gap_carry =
    // 0x7eff; only the Pair(gap[3], gap_carry + 3) lookup fails.
    let (op, b, c, claimed) = (Remu, 100, 7, (13, 9));
    let mut trace = witness(op, b, c, claimed, &[]);
    let width = DivRemCols::<u8>::NUM_COLS;
    let row = DivRemCols::from_slice_mut(&mut trace.values[..width]);
    row.gap = word_vals(Val::ORDER_U32 - 3);
    solve_carries(row);
    assert_eq!(row.gap_carry, Val::from_u32(0x7eff));
    let failures = failures_of(claim(op, b, c, claimed.0, claimed.1), &trace);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        matches!(&failures[0], DebugFailure::Bus { bus, message, .. } if bus == "byte" && message == &[0, 0x7e, 0x7eff + 3, 0]),
        "{failures:?}"
    );
}

#[test]
fn a_false_event_gives_a_trace_the_checker_rejects() {
    let mut e = event(Div, MIN, u32::MAX);
    e.a = 0;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::DivRem, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "divrem does not prove Mul")]
fn trace_generation_rejects_another_op() {
    DivRemChip.generate_trace(&[event(AluOp::Mul, 1, 2)], &ByteCounter::new());
}
