//! Multiplication tests: honest traces over edge and random operands, cell tampering, and the
//! natural witnesses for a false product.

use geode_executor::AluOp;
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;

use super::MulChip;
use super::columns::MulCols;
use crate::alu::AluEvent;
use crate::alu::testing::{
    EDGES, Honest, TestChip, alu_driver_trace, assert_only_alu_receives, completable, event,
    events, max_constraint_degree, prove_and_verify, reference, set,
};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::Mul;

fn cols() -> MulCols<usize> {
    MulCols::<usize>::col_map()
}

#[test]
fn honest_trace_balances_every_bus() {
    Honest::new(CHIP, &events(&MulChip::OPS, 256))
        .check()
        .unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let events: Vec<_> = [
        (0, 0),
        (u32::MAX, u32::MAX),
        (0x8000_0000, 0x8000_0000),
        (0x8000_0000, u32::MAX),
        (0x7fff_ffff, 0x8000_0001),
        (0x1234_5678, 0x9abc_def0),
    ]
    .into_iter()
    .flat_map(|(b, c)| MulChip::OPS.map(|op| event(op, b, c)))
    .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn no_events_gives_a_valid_padding_trace() {
    let h = Honest::new(CHIP, &[]);
    assert_eq!(h.trace.values.len(), 2 * MulCols::<u8>::NUM_COLS);
    h.check().unwrap();
}

#[test]
fn proves_and_verifies() {
    prove_and_verify(CHIP, &events(&MulChip::OPS, 8));
}

#[test]
fn constraints_have_degree_at_most_3() {
    assert_eq!(max_constraint_degree(CHIP), 3);
}

#[test]
fn edge_products_match_the_reference() {
    // i32::MIN·i32::MIN, −1·−1, i32::MAX·i32::MIN and the mixed-sign cases of MULHSU.
    let cases = [
        (AluOp::Mulh, 0x8000_0000, 0x8000_0000, 0x4000_0000),
        (AluOp::Mulh, u32::MAX, u32::MAX, 0),
        (AluOp::Mulh, 0x7fff_ffff, 0x8000_0000, 0xc000_0000),
        (AluOp::Mulhsu, u32::MAX, u32::MAX, u32::MAX),
        (AluOp::Mulhsu, 0x8000_0000, u32::MAX, 0x8000_0000),
        (AluOp::Mulhu, u32::MAX, u32::MAX, 0xffff_fffe),
        (AluOp::Mul, u32::MAX, u32::MAX, 1),
        (AluOp::Mul, 0x8000_0000, 2, 0),
    ];
    for (op, b, c, a) in cases {
        assert_eq!(reference(op, b, c), a, "{op:?} {b:#x} {c:#x}");
    }
    let events: Vec<_> = cases.map(|(op, b, c, _)| event(op, b, c)).into();
    Honest::new(CHIP, &events).check().unwrap();
}

/// Row 0: MUL 0x1234_5678·0x9abc_def0 (low word 0x242d_2080); row 1: MULH −1·−1 = 1 (high word 0); row 2: MULHSU
/// −1·0xffff_ffff (high word −1); row 3: MULHU 0xffff_ffff² (high word 0xffff_fffe).
fn sample() -> Honest {
    let events = [
        event(AluOp::Mul, 0x1234_5678, 0x9abc_def0),
        event(AluOp::Mulh, u32::MAX, u32::MAX),
        event(AluOp::Mulhsu, u32::MAX, u32::MAX),
        event(AluOp::Mulhu, u32::MAX, u32::MAX),
    ];
    assert_eq!(events.map(|e| e.a), [0x242d_2080, 0, u32::MAX, 0xffff_fffe]);
    let h = Honest::new(CHIP, &events);
    h.check().unwrap();
    h
}

/// The sample with `cells` of `row` overwritten, and whether a constraint of that row fails
/// and whether the byte and ALU buses do.
fn tampered(row: usize, cells: &[(usize, u32)]) -> (bool, bool, bool) {
    sample().tampered("mul", row, cells)
}

#[test]
fn tampered_cells_fail() {
    let c = cols();
    // Row 0: a[0] = 0x80 (valid) -> 0x81 (corrupt): its carry equation, its range-check
    // lookup (no longer the one counted) and the message.
    assert_eq!(tampered(0, &[(c.a[0], 0x81)]), (true, true, true));
    // Row 3: rest[2] (the discarded low word 0x0000_0001) 0 -> 1.
    assert!(tampered(3, &[(c.rest[2], 1)]).0);
    // Row 1: carry[4] off by one.
    let carry = sample().trace.values[MulCols::<u8>::NUM_COLS + c.carry[4]].as_canonical_u32();
    assert!(tampered(1, &[(c.carry[4], carry + 1)]).0);
    // Row 1 (MULH −1·−1): b's sign bit cleared. Its Msb lookup fails, and the product of
    // 0xffff_ffff (unsigned) by −1 has another high word.
    assert_eq!(tampered(1, &[(c.msb_b, 0)]), (true, true, false));
    // Row 3 relabelled as MULH: the signed product's high word is 0, not 0xffff_fffe.
    let (constraint, _, alu) = tampered(3, &[(c.is_mulhu, 0), (c.is_mulh, 1)]);
    assert!(constraint && alu);
    // Row 2's flag cleared: nothing receives the driver's MULHSU.
    assert!(tampered(2, &[(c.is_mulhsu, 0)]).2);
    // Two flags on row 0.
    assert!(tampered(0, &[(c.is_mulhu, 1)]).0);
}

/// A row for `claim` whose byte cells are the claimed result `a` and `rest`, with the given
/// top bits, and the carries that solve the carry equations (in the field: given the bytes,
/// each equation fixes its carry, as 256 is invertible).
fn witness(claim: AluEvent, rest: u32, msb_b: u32, msb_c: u32) -> RowMajorMatrix<Val> {
    let c = cols();
    let honest = event(claim.op, claim.b, claim.c);
    let mut trace = MulChip.generate_trace(&[honest], &ByteCounter::new());
    let b_sign = msb_b * u32::from(matches!(claim.op, AluOp::Mulh | AluOp::Mulhsu));
    let c_sign = msb_c * u32::from(claim.op == AluOp::Mulh);
    let extend = |x: u32, sign: u32| {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&x.to_le_bytes());
        bytes[4..].fill(if sign == 1 { 0xff } else { 0 });
        bytes
    };
    let (bx, cx) = (extend(claim.b, b_sign), extend(claim.c, c_sign));
    let (low, high) = if claim.op == AluOp::Mul {
        (claim.a, rest)
    } else {
        (rest, claim.a)
    };
    let product = (u64::from(high) << 32 | u64::from(low)).to_le_bytes();
    let mut carry = Val::ZERO;
    for k in 0..8 {
        let column: u64 = (0..=k)
            .map(|i| u64::from(bx[i]) * u64::from(cx[k - i]))
            .sum();
        carry = (Val::from_u64(column) + carry - Val::from_u8(product[k]))
            * Val::from_u16(256).inverse();
        set(&mut trace, 0, c.carry[k], carry.as_canonical_u32());
    }
    for (i, (x, y)) in claim
        .a
        .to_le_bytes()
        .into_iter()
        .zip(rest.to_le_bytes())
        .enumerate()
    {
        set(&mut trace, 0, c.a[i], x.into());
        set(&mut trace, 0, c.rest[i], y.into());
    }
    set(&mut trace, 0, c.msb_b, msb_b);
    set(&mut trace, 0, c.msb_c, msb_c);
    trace
}

/// How many of the natural witnesses complete `claim`: each choice of the two top bits, with
/// `rest` the true other word of the product those bits give (with another `rest`, the carry
/// equations below the result force a carry out of range; see `a_false_rest_has_no_witness`).
fn completable_witnesses(claim: AluEvent) -> usize {
    let driver = alu_driver_trace(&[claim]);
    let mut ok = 0;
    for msb_b in 0..2 {
        for msb_c in 0..2 {
            let b_sign = msb_b == 1 && matches!(claim.op, AluOp::Mulh | AluOp::Mulhsu);
            let c_sign = msb_c == 1 && claim.op == AluOp::Mulh;
            let ext = |x: u32, sign: bool| u64::from(x) | if sign { 0xffff_ffff << 32 } else { 0 };
            let product = ext(claim.b, b_sign).wrapping_mul(ext(claim.c, c_sign));
            let rest = if claim.op == AluOp::Mul {
                (product >> 32) as u32
            } else {
                product as u32
            };
            let trace = witness(claim, rest, msb_b, msb_c);
            ok +=
                usize::from(completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).is_ok());
        }
    }
    ok
}

#[test]
fn a_false_product_has_no_witness() {
    let mut pairs = vec![
        (0x8000_0000, 0x8000_0000),
        (u32::MAX, u32::MAX),
        (0x7fff_ffff, 0x8000_0000),
        (0x8000_0000, u32::MAX),
        (0x1234_5678, 0x9abc_def0),
        (0xffff, 0x1_0001),
    ];
    pairs.extend(EDGES.iter().zip(EDGES.iter().rev()).map(|(&b, &c)| (b, c)));
    for (b, c) in pairs {
        for op in MulChip::OPS {
            let truth = event(op, b, c);
            assert_eq!(completable_witnesses(truth), 1, "{truth:?}");
            // Off by one in the low and the top byte, and the other ops' results (a wrong
            // signedness).
            let mut claims = vec![
                truth.a.wrapping_add(1),
                truth.a ^ 0x0100_0000,
                truth.a.wrapping_sub(0x100),
            ];
            claims.extend(MulChip::OPS.map(|other| reference(other, b, c)));
            for a in claims.into_iter().filter(|&a| a != truth.a) {
                let claim = AluEvent { a, ..truth };
                assert_eq!(completable_witnesses(claim), 0, "{claim:?}");
            }
        }
    }
}

#[test]
fn a_false_rest_has_no_witness() {
    // MULHU 0xffff_ffff² = 0xffff_fffe_0000_0001: with the true high word but a low word off
    // by one, the field carries are out of the U16 range; a carry pushed by 256 into the next
    // column needs a byte above 255.
    let truth = event(AluOp::Mulhu, u32::MAX, u32::MAX);
    let driver = alu_driver_trace(&[truth]);
    for rest in [0, 2, 0x0100_0001, 0x8000_0001] {
        let trace = witness(truth, rest, 1, 1);
        let failures = completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)]).unwrap_err();
        assert!(
            failures.iter().all(
                |f| matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && message[0] == 5)
            ),
            "only U16 lookups of carries fail: {failures:?}"
        );
    }
}

#[test]
fn a_non_byte_limb_is_caught_by_the_range_check() {
    // Row 0 (MUL 0x1234_5678·0x9abc_def0 = 0x0b00_ea4e_242d_2080): column 0 is
    // 0x78·0xf0 = 0x7080, so a[0] = 0x80 with carry 0x70. The limb a[0] = 0x180 with carry
    // 0x6f and a[1] = 0x20 − 1 satisfies every constraint and keeps even the word's value;
    // only the lookup Pair(a[0], a[1]) is not in the table.
    let mut h = sample();
    let c = cols();
    let row = &h.trace.values[..MulCols::<u8>::NUM_COLS];
    let [a0, a1, carry0] = [c.a[0], c.a[1], c.carry[0]].map(|i| row[i].as_canonical_u32());
    assert_eq!((a0, a1, carry0), (0x80, 0x20, 0x70));
    for (cell, value) in [
        (c.a[0], a0 + 0x100),
        (c.a[1], a1 - 1),
        (c.carry[0], carry0 - 1),
    ] {
        set(&mut h.trace, 0, cell, value);
    }
    let failures = h.check().unwrap_err();
    assert!(
        !failures
            .iter()
            .any(|f| matches!(f, DebugFailure::Constraint { .. })),
        "{failures:?}"
    );
    assert!(
        failures.iter().any(
            |f| matches!(f, DebugFailure::Bus { bus, message, net: 1, .. } if bus == "byte" && message == &[0, a0 + 0x100, a1 - 1, 0])
        ),
        "{failures:?}"
    );
}

#[test]
fn a_false_event_gives_a_trace_the_checker_rejects() {
    // MULH −1·−1 claimed as the unsigned high word.
    let mut e = event(AluOp::Mulh, u32::MAX, u32::MAX);
    e.a = 0xffff_fffe;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::Mul, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "mul does not prove Sll")]
fn trace_generation_rejects_another_op() {
    MulChip.generate_trace(&[event(AluOp::Sll, 1, 2)], &ByteCounter::new());
}
