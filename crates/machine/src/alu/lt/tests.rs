//! Set-less-than tests: honest traces over edge and random operands, cell tampering, and every
//! witness for a false result.

use geode_executor::AluOp;
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};

use super::LtChip;
use super::columns::LtCols;
use crate::alu::AluEvent;
use crate::alu::testing::{
    EDGES, Honest, TestChip, alu_driver_trace, assert_only_alu_receives, completable, event,
    events, prove_and_verify, set,
};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::Lt;

fn cols() -> LtCols<usize> {
    LtCols::<usize>::col_map()
}

#[test]
fn honest_trace_balances_every_bus() {
    Honest::new(CHIP, &events(&LtChip::OPS, 256))
        .check()
        .unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let pairs = [
        (7, 7),
        (u32::MAX, 1),
        (1, u32::MAX),
        (0x8000_0000, 0x7fff_ffff),
        (0x100, 0xff),
    ];
    let events: Vec<_> = pairs
        .into_iter()
        .flat_map(|(b, c)| LtChip::OPS.map(|op| event(op, b, c)))
        .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn proves_and_verifies() {
    prove_and_verify(CHIP, &events(&LtChip::OPS, 64));
}

/// Row 0: SLTU 0x1234_5678 < 0x1234_9978 (first difference at byte 1); row 1: SLT −1 < 1;
/// row 2: SLTU 7 < 7; row 3: SLT 5 < 0x8000_0000.
fn sample() -> Honest {
    let events = [
        event(AluOp::Sltu, 0x1234_5678, 0x1234_9978),
        event(AluOp::Slt, u32::MAX, 1),
        event(AluOp::Sltu, 7, 7),
        event(AluOp::Slt, 5, 0x8000_0000),
    ];
    assert_eq!(events.map(|e| e.a), [1, 1, 0, 0]);
    let h = Honest::new(CHIP, &events);
    h.check().unwrap();
    h
}

/// The sample with `cells` of `row` overwritten, and whether a constraint of that row fails
/// and which buses do.
fn tampered(row: usize, cells: &[(usize, u32)]) -> (bool, bool, bool) {
    sample().tampered("lt", row, cells)
}

#[test]
fn tampered_cells_fail() {
    let c = cols();
    // Row 0's result 1 (valid) -> 0 (corrupt).
    assert!(tampered(0, &[(c.result, 0)]).0);
    // Row 0's flag moved from byte 1 to byte 2, then to byte 0 with b_diff, c_diff following.
    assert!(tampered(0, &[(c.byte_flag[1], 0), (c.byte_flag[2], 1)]).0);
    assert!(
        tampered(
            0,
            &[
                (c.byte_flag[1], 0),
                (c.byte_flag[0], 1),
                (c.b_diff, 0x78),
                (c.c_diff, 0x78)
            ]
        )
        .0
    );
    // Row 0: a second flag; the inverse zeroed.
    assert!(tampered(0, &[(c.byte_flag[3], 1)]).0);
    assert!(tampered(0, &[(c.diff_inv, 0)]).0);
    // Row 2 (b = c): a flag on equal bytes has no inverse.
    assert!(tampered(2, &[(c.byte_flag[0], 1)]).0);
    // Row 2: ltu 0 -> 1 with the result following: not in the table, and the message changes.
    assert_eq!(
        tampered(2, &[(c.ltu, 1), (c.result, 1)]),
        (false, true, true)
    );
    // Row 1: sign_b 1 -> 0 with the result following (ltu 0 + 0 − 0 = 0).
    assert_eq!(
        tampered(1, &[(c.sign_b, 0), (c.result, 0)]),
        (false, true, true)
    );
    // Row 3's flags cleared: nothing receives the driver's SLT.
    assert!(tampered(3, &[(c.is_slt, 0)]).2);
}

/// Every witness a prover could give for `claim` (with `claim.a` boolean): the flag position,
/// the bytes it selects and their inverse, ltu and the sign bits (any other value of these
/// cells fails a constraint or is not a table entry). Returns how many are completable.
fn completable_witnesses(claim: AluEvent) -> usize {
    let driver = alu_driver_trace(&[claim]);
    let honest = Honest::new(CHIP, &[event(claim.op, claim.b, claim.c)]);
    let (bb, cb) = (claim.b.to_le_bytes(), claim.c.to_le_bytes());
    let c = cols();
    let mut ok = 0;
    for flag in [None, Some(0), Some(1), Some(2), Some(3)] {
        let (bd, cd) = flag.map_or((0, 0), |i| (bb[i], cb[i]));
        let diff = Val::from_u8(bd) - Val::from_u8(cd);
        let inv = diff.try_inverse().unwrap_or(Val::ZERO).as_canonical_u32();
        for bits in 0..8u32 {
            let mut trace = honest.trace.clone();
            for (i, &col) in c.byte_flag.iter().enumerate() {
                set(&mut trace, 0, col, u32::from(flag == Some(i)));
            }
            set(&mut trace, 0, c.result, claim.a);
            set(&mut trace, 0, c.b_diff, bd.into());
            set(&mut trace, 0, c.c_diff, cd.into());
            set(&mut trace, 0, c.diff_inv, inv);
            set(&mut trace, 0, c.ltu, bits & 1);
            set(&mut trace, 0, c.sign_b, (bits >> 1) & 1);
            set(&mut trace, 0, c.sign_c, bits >> 2);
            ok +=
                usize::from(completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).is_ok());
        }
    }
    ok
}

#[test]
fn a_false_result_has_no_witness() {
    let mut pairs = vec![
        (7, 7),
        (0x100, 0x1ff),
        (0x1_0000, 0x1_00ff),
        (0x0100_0000, 0x00ff_ffff),
    ];
    pairs.extend(EDGES.iter().zip(EDGES.iter().rev()).map(|(&b, &c)| (b, c)));
    for (b, c) in pairs {
        for op in LtChip::OPS {
            let truth = event(op, b, c);
            // The honest witness is the only one.
            assert_eq!(completable_witnesses(truth), 1, "{truth:?}");
            let claim = crate::alu::AluEvent {
                a: 1 - truth.a,
                ..truth
            };
            assert_eq!(completable_witnesses(claim), 0, "{claim:?}");
        }
    }
}

#[test]
fn non_boolean_byte_flags_cannot_hide_the_difference() {
    // SLTU 0x0040_1000 < 0x0040_2000 is 1. Flags 2 at byte 2 and −1 at byte 1 sum to 1 and
    // satisfy every equality, but select b_diff = 2·0x40 − 0x10 = 0x70 and c_diff = 0x60,
    // whose Ltu is 0: only the boolean checks stop the false result 0.
    let (b, c) = (0x0040_1000, 0x0040_2000);
    let driver = alu_driver_trace(&[AluEvent {
        op: AluOp::Sltu,
        a: 0,
        b,
        c,
    }]);
    let mut trace = Honest::new(CHIP, &[event(AluOp::Sltu, b, c)]).trace;
    let col = cols();
    let inv = Val::from_u8(0x10).inverse().as_canonical_u32();
    let neg_one = Val::NEG_ONE.as_canonical_u32();
    for (cell, value) in [
        (col.result, 0),
        (col.byte_flag[2], 2),
        (col.byte_flag[1], neg_one),
        (col.b_diff, 0x70),
        (col.c_diff, 0x60),
        (col.diff_inv, inv),
        (col.ltu, 0),
    ] {
        set(&mut trace, 0, cell, value);
    }
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
    let mut e = event(AluOp::Slt, u32::MAX, 0);
    e.a = 0;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::Lt, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "lt does not prove Sub")]
fn trace_generation_rejects_another_op() {
    LtChip.generate_trace(&[event(AluOp::Sub, 1, 2)], &ByteCounter::new());
}
