//! Shift tests: honest traces over edge amounts and random operands, cell tampering, and every
//! natural witness for a false result.

use geode_executor::AluOp;
use geode_stark::Val;
use geode_stark::debug::DebugFailure;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;

use super::ShiftChip;
use super::columns::ShiftCols;
use crate::alu::AluEvent;
use crate::alu::testing::{
    EDGES, Honest, TestChip, alu_driver_trace, assert_only_alu_receives, completable, event,
    events, max_constraint_degree, prove_and_verify, reference, set,
};
use crate::byte_counter::ByteCounter;

const CHIP: TestChip = TestChip::Shift;

/// Shift amounts at the edges: bit and byte boundaries, and values whose bits above the low 5
/// must be ignored (in `c[0]` and in the higher bytes).
const AMOUNTS: [u32; 16] = [
    0,
    1,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    63,
    0xe0,
    0xff,
    0x100,
    0x1_0003,
    0x8000_0000,
    0xffff_ffe1,
];

fn cols() -> ShiftCols<usize> {
    ShiftCols::<usize>::col_map()
}

/// Every op on every edge operand shifted by every edge amount.
fn edge_events() -> Vec<AluEvent> {
    let mut out = Vec::new();
    for op in ShiftChip::OPS {
        for b in EDGES {
            out.extend(AMOUNTS.map(|c| event(op, b, c)));
        }
    }
    out
}

#[test]
fn honest_trace_balances_every_bus() {
    let mut all = edge_events();
    all.extend(events(&ShiftChip::OPS, 256));
    Honest::new(CHIP, &all).check().unwrap();
}

#[test]
fn without_a_sender_only_the_alu_receives_are_left() {
    let events: Vec<_> = [
        (0x8000_0001, 0),
        (0x8000_0001, 1),
        (0xf0f0_0f0f, 12),
        (u32::MAX, 31),
        (0x1234_5678, 33),
    ]
    .into_iter()
    .flat_map(|(b, c)| ShiftChip::OPS.map(|op| event(op, b, c)))
    .collect();
    assert_only_alu_receives(Honest::new(CHIP, &events).check_without_driver(), &events);
}

#[test]
fn no_events_gives_a_valid_padding_trace() {
    let h = Honest::new(CHIP, &[]);
    assert_eq!(h.trace.values.len(), 2 * ShiftCols::<u8>::NUM_COLS);
    h.check().unwrap();
}

#[test]
fn proves_and_verifies() {
    let mut all = events(&ShiftChip::OPS, 8);
    all.extend(ShiftChip::OPS.map(|op| event(op, 0x8000_0000, 63)));
    prove_and_verify(CHIP, &all);
}

#[test]
fn constraints_have_degree_at_most_3() {
    assert_eq!(max_constraint_degree(CHIP), 3);
}

/// Row 0: SLL 0x8123_4567 << 12; row 1: SRL 0x8123_4567 >> 12; row 2: SRA 0x8123_4567 >> 12
/// (amounts 12 = 4 + 8·1, c = 0x2c: c0_hi = 1); row 3: SRA 0x8000_0000 >> 31.
fn sample() -> Honest {
    let events = [
        event(AluOp::Sll, 0x8123_4567, 0x2c),
        event(AluOp::Srl, 0x8123_4567, 0x2c),
        event(AluOp::Sra, 0x8123_4567, 0x2c),
        event(AluOp::Sra, 0x8000_0000, 31),
    ];
    assert_eq!(
        events.map(|e| e.a),
        [0x3456_7000, 0x0008_1234, 0xfff8_1234, u32::MAX]
    );
    let h = Honest::new(CHIP, &events);
    h.check().unwrap();
    h
}

/// The sample with `cells` of `row` overwritten, and whether a constraint of that row fails
/// and whether the byte and ALU buses do.
fn tampered(row: usize, cells: &[(usize, u32)]) -> (bool, bool, bool) {
    sample().tampered("shift", row, cells)
}

#[test]
fn tampered_cells_fail() {
    let c = cols();
    // Row 0: a[1] = 0x70 (valid) -> 0x71 (corrupt): its selection equation and the message.
    assert_eq!(tampered(0, &[(c.a[1], 0x71)]), (true, false, true));
    // Row 0: the byte shift moved from 1 to 2.
    assert!(tampered(0, &[(c.byte_flag[1], 0), (c.byte_flag[2], 1)]).0);
    // Row 1: a second byte flag.
    assert!(tampered(1, &[(c.byte_flag[0], 1)]).0);
    // Row 0: the exponent 4 (exp_bits [0, 0, 1]) -> 5 ([1, 0, 1]): c[0] and 2^e disagree.
    assert!(tampered(0, &[(c.exp_bits[0], 1)]).0);
    // Row 1: pow_minus_one = 7 (valid, 2^3 − 1) -> 15 (corrupt).
    assert!(tampered(1, &[(c.pow_minus_one, 15)]).0);
    // Row 2: c0_hi 1 -> 0: the amount no longer adds up to c[0].
    assert!(tampered(2, &[(c.c0_hi, 0)]).0);
    // Row 0: lo[0] = 0x70 (valid) -> 0x71 (corrupt).
    assert!(tampered(0, &[(c.lo[0], 0x71)]).0);
    // Row 2 (SRA of a negative b): the fill bit cleared, with and without its msb.
    assert!(tampered(2, &[(c.sign, 0)]).0);
    // With msb following, the fill is wrong and Msb(0x81, 0) is not in the table.
    assert_eq!(tampered(2, &[(c.sign, 0), (c.msb, 0)]), (true, true, false));
    // Row 1 (SRL): a fill bit on a logical shift.
    assert!(tampered(1, &[(c.sign, 1)]).0);
    // Row 2 relabelled as SRL: the fill bit must then be 0.
    assert!(tampered(2, &[(c.is_sra, 0), (c.is_srl, 1)]).0);
    // Row 3's flag cleared: nothing receives the driver's SRA.
    assert!(tampered(3, &[(c.is_sra, 0), (c.byte_flag[3], 0)]).2);
}

/// A row for `claim` with the amount witness `(exp, byte_shift, msb)`: `c0_hi` solves the
/// amount equation in the field, `lo` and `hi` are the bytes of `b[i]·mult` (the only byte
/// solutions) and `sign = is_sra·msb`.
fn witness(claim: AluEvent, exp: u8, byte_shift: usize, msb: u8) -> RowMajorMatrix<Val> {
    let c = cols();
    let honest = event(claim.op, claim.b, claim.c);
    let mut trace = ShiftChip.generate_trace(&[honest], &ByteCounter::new());
    let is_sll = claim.op == AluOp::Sll;
    let bit_shift = if is_sll { exp } else { 7 - exp };
    let mult = if is_sll { 1u32 << exp } else { 2u32 << exp };
    let c0 = Val::from_u8(claim.c.to_le_bytes()[0]);
    let c0_hi = (c0 - Val::from_u8(bit_shift) - Val::from_usize(8 * byte_shift))
        * Val::from_u8(32).inverse();
    for j in 0..3 {
        set(&mut trace, 0, c.exp_bits[j], u32::from((exp >> j) & 1));
    }
    set(&mut trace, 0, c.pow_minus_one, (1 << exp) - 1);
    for s in 0..4 {
        set(&mut trace, 0, c.byte_flag[s], u32::from(s == byte_shift));
    }
    set(&mut trace, 0, c.c0_hi, c0_hi.as_canonical_u32());
    for (i, x) in claim.b.to_le_bytes().into_iter().enumerate() {
        let p = u32::from(x) * mult;
        set(&mut trace, 0, c.lo[i], p & 0xff);
        set(&mut trace, 0, c.hi[i], p >> 8);
    }
    set(&mut trace, 0, c.msb, msb.into());
    let sign = claim.op == AluOp::Sra && msb == 1;
    set(&mut trace, 0, c.sign, u32::from(sign));
    for (i, x) in claim.a.to_le_bytes().into_iter().enumerate() {
        set(&mut trace, 0, c.a[i], x.into());
    }
    trace
}

/// Whether the witness row for `claim` (see [`witness`]) with a driver sending `claim` could be
/// completed.
fn completable_with(
    claim: AluEvent,
    exp: u8,
    byte_shift: usize,
    msb: u8,
) -> Result<(), Vec<DebugFailure>> {
    let trace = witness(claim, exp, byte_shift, msb);
    let driver = alu_driver_trace(&[claim]);
    completable(&[(CHIP, &trace), (TestChip::AluDriver, &driver)])
}

/// How many amount witnesses (exponent, byte shift, msb) complete `claim`.
fn completable_witnesses(claim: AluEvent) -> usize {
    let mut ok = 0;
    for exp in 0..8 {
        for byte_shift in 0..4 {
            for msb in 0..2 {
                ok += usize::from(completable_with(claim, exp, byte_shift, msb).is_ok());
            }
        }
    }
    ok
}

#[test]
fn a_false_result_has_no_witness() {
    let bs = [0x8123_4567, 0x7fff_ffff, 0x8000_0000, u32::MAX, 1];
    let amounts = [0, 1, 8, 15, 31, 32, 33, 63, 0x104];
    for op in ShiftChip::OPS {
        for b in bs {
            for c in amounts {
                let truth = event(op, b, c);
                assert_eq!(completable_witnesses(truth), 1, "{truth:?}");
                // Off by a bit, the other shifts' results, the amount not masked to 5 bits
                // and the amount taken from c[0]'s low 3 bits only.
                let amount = c.min(63);
                let unmasked = match op {
                    AluOp::Sll => (u64::from(b) << amount) as u32,
                    AluOp::Srl => (u64::from(b) >> amount) as u32,
                    _ => (i64::from(b as i32) >> amount) as u32,
                };
                let mut claims = vec![truth.a ^ 1, truth.a ^ 0x8000_0000, unmasked];
                claims.extend(ShiftChip::OPS.map(|other| reference(other, b, c)));
                claims.push(reference(op, b, c & 7));
                for a in claims.into_iter().filter(|&a| a != truth.a) {
                    let claim = AluEvent { a, ..truth };
                    assert_eq!(completable_witnesses(claim), 0, "{claim:?}");
                }
            }
        }
    }
}

#[test]
fn the_ignored_bits_of_c0_are_range_checked() {
    // SLL 1 << 33 = 2 claimed as 1 << 0 = 1: the amount 0 with c0_hi = 33/32 (in the field)
    // satisfies every constraint; only the lookup Pair(33/32, 33) is not in the table.
    let claim = AluEvent {
        op: AluOp::Sll,
        a: 1,
        b: 1,
        c: 33,
    };
    let c0_hi = (Val::from_u8(33) * Val::from_u8(32).inverse()).as_canonical_u32();
    let failures = completable_with(claim, 0, 0, 0).unwrap_err();
    assert!(
        failures.iter().all(
            |f| matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && message == &[0, c0_hi, 33, 0])
        ) && !failures.is_empty(),
        "{failures:?}"
    );
}

#[test]
fn non_byte_limbs_are_caught_by_the_range_check() {
    // Row 0 (SLL 0x8123_4567 by 12: mult 16, byte shift 1): b[0]·16 = 0x670 split as
    // lo[0] = 0x170, hi[0] = 5 (valid: 0x70, 6), and a[1] = 0x170, a[2] = 0x50 + 5 = 0x55
    // (valid: 0x70, 0x56) satisfy every constraint and even keep a's value as an integer;
    // only the lookup Pair(lo[0], lo[1]) = (0x170, 0x50) is not in the table.
    let mut h = sample();
    let c = cols();
    for (cell, value) in [
        (c.lo[0], 0x170),
        (c.hi[0], 5),
        (c.a[1], 0x170),
        (c.a[2], 0x55),
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
            |f| matches!(f, DebugFailure::Bus { bus, message, net: 1, .. } if bus == "byte" && message == &[0, 0x170, 0x50, 0])
        ),
        "{failures:?}"
    );
}

#[test]
fn a_false_event_gives_a_trace_the_checker_rejects() {
    // SRA of a negative word claimed as its logical shift.
    let mut e = event(AluOp::Sra, 0x8000_0000, 4);
    e.a = 0x0800_0000;
    // The generator writes what the event claims; the constraints and buses refuse it.
    assert!(Honest::new(TestChip::Shift, &[e]).check().is_err());
}

#[test]
#[should_panic(expected = "shift does not prove Mul")]
fn trace_generation_rejects_another_op() {
    ShiftChip.generate_trace(&[event(AluOp::Mul, 1, 2)], &ByteCounter::new());
}
