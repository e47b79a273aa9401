//! Test support for the ALU and byte chips: reference semantics, event generators, the debug
//! checker over test batches, and a judge of whether a tampered trace could still be completed.

mod chips;

use std::collections::BTreeMap;

use geode_executor::AluOp;
use geode_executor::testing::SplitMix64;
use geode_stark::debug::{DebugFailure, check_pairs};
use geode_stark::{FastParams, Val, prove, verify};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;

pub(crate) use self::chips::{TestChip, alu_driver_trace, byte_driver_trace};
use super::{AluEvent, alu_op_id};
use crate::bus::ByteOp;
use crate::byte::ByteChip;
use crate::byte_counter::ByteCounter;

/// `a = op(b, c)` as the executor computes it (`geode_executor`'s `machine.rs`).
pub(crate) fn reference(op: AluOp, b: u32, c: u32) -> u32 {
    let (bs, cs) = (b as i32, c as i32);
    match op {
        AluOp::Add => b.wrapping_add(c),
        AluOp::Sub => b.wrapping_sub(c),
        AluOp::Sll => b << (c & 31),
        AluOp::Slt => u32::from(bs < cs),
        AluOp::Sltu => u32::from(b < c),
        AluOp::Xor => b ^ c,
        AluOp::Srl => b >> (c & 31),
        AluOp::Sra => (bs >> (c & 31)) as u32,
        AluOp::Or => b | c,
        AluOp::And => b & c,
        AluOp::Mul => b.wrapping_mul(c),
        AluOp::Mulh => ((i64::from(bs) * i64::from(cs)) >> 32) as u32,
        AluOp::Mulhsu => ((i64::from(bs) * i64::from(c)) >> 32) as u32,
        AluOp::Mulhu => ((u64::from(b) * u64::from(c)) >> 32) as u32,
        AluOp::Div | AluOp::Divu if c == 0 => u32::MAX,
        AluOp::Div => bs.wrapping_div(cs) as u32,
        AluOp::Divu => b / c,
        AluOp::Rem | AluOp::Remu if c == 0 => b,
        AluOp::Rem => bs.wrapping_rem(cs) as u32,
        AluOp::Remu => b % c,
    }
}

/// The true event `op(b, c)`.
pub(crate) fn event(op: AluOp, b: u32, c: u32) -> AluEvent {
    AluEvent {
        op,
        a: reference(op, b, c),
        b,
        c,
    }
}

/// Operands at the edges: byte, half and sign boundaries.
pub(crate) const EDGES: [u32; 16] = [
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x100,
    0xffff,
    0x1_0000,
    0x7fff_ffff,
    0x8000_0000,
    0x8000_0001,
    0xffff_fffe,
    0xffff_ffff,
    0x0123_4567,
    0xfedc_ba98,
];

/// Every op on every pair of edge operands, then `random` pairs per op from a fixed seed: half
/// uniform, half differing from `b` in one random byte (so comparisons hit every byte).
pub(crate) fn events(ops: &[AluOp], random: usize) -> Vec<AluEvent> {
    let mut rng = SplitMix64(0x6e0de);
    let mut out = Vec::new();
    for &op in ops {
        for b in EDGES {
            out.extend(EDGES.map(|c| event(op, b, c)));
        }
        for k in 0..random {
            let [b, c, byte, shift] = [0; 4].map(|_| (rng.next_u64() >> 32) as u32);
            let c = if k % 2 == 0 {
                c
            } else {
                b ^ ((byte & 0xff) << (8 * (shift % 4)))
            };
            out.push(event(op, b, c));
        }
    }
    out
}

/// The ALU bus message of `e`.
pub(crate) fn alu_message(e: &AluEvent) -> Vec<u32> {
    let mut m = vec![u32::from(alu_op_id(e.op))];
    for w in [e.a, e.b, e.c] {
        m.extend(w.to_le_bytes().map(u32::from));
    }
    crate::bus::GeodeBus::Alu.frame_values(m)
}

/// Runs the debug checker on `(chip, trace)` pairs (no public values).
pub(crate) fn debug(batch: &[(TestChip, &RowMajorMatrix<Val>)]) -> Result<(), Vec<DebugFailure>> {
    check_pairs(batch.iter().map(|(air, trace)| (air, *trace)))
}

/// Asserts that the only failures are the ALU receives of `events`, each unmatched (as no CPU
/// sends them) and so net `−count`.
pub(crate) fn assert_only_alu_receives(result: Result<(), Vec<DebugFailure>>, events: &[AluEvent]) {
    let mut expected: BTreeMap<Vec<u32>, u32> = BTreeMap::new();
    for e in events {
        *expected.entry(alu_message(e)).or_default() += 1;
    }
    let failures = result.expect_err("the ALU receives are unmatched");
    let mut seen = BTreeMap::new();
    for f in &failures {
        match f {
            DebugFailure::Bus {
                bus, message, net, ..
            } if bus == "exec" => {
                seen.insert(message.clone(), Val::ORDER_U32 - net);
            }
            other => panic!("unexpected failure: {other}"),
        }
    }
    // The checker stops at 64 failures, which would hide any further ones.
    assert!(expected.len() < 64, "use fewer events");
    let seen_counts: BTreeMap<Vec<u32>, u32> = seen;
    assert_eq!(seen_counts, expected, "{failures:?}");
}

/// Sets `trace[row][col]`.
pub(crate) fn set(trace: &mut RowMajorMatrix<Val>, row: usize, col: usize, value: u32) {
    let width = trace.width;
    trace.values[row * width + col] = Val::from_u32(value);
}

/// Whether `failures` has a constraint failure of `chip` at `row`.
pub(crate) fn constraint_fails(failures: &[DebugFailure], chip: &str, row: usize) -> bool {
    failures.iter().any(
        |f| matches!(f, DebugFailure::Constraint { chip: c, row: r, .. } if c == chip && *r == row),
    )
}

/// Whether `failures` has an imbalance on `bus`.
pub(crate) fn bus_fails(failures: &[DebugFailure], bus: &str) -> bool {
    failures
        .iter()
        .any(|f| matches!(f, DebugFailure::Bus { bus: b, .. } if b == bus))
}

/// Proves and verifies `chip` on `events` with the byte table and an ALU driver sending them.
pub(crate) fn prove_and_verify(chip: TestChip, events: &[AluEvent]) {
    let counter = ByteCounter::new();
    let alu = chip.alu_trace(events, &counter);
    let traces = [
        ByteChip.generate_trace(&counter),
        alu,
        alu_driver_trace(events),
    ];
    let airs = [TestChip::Byte, chip, TestChip::AluDriver];
    let config = FastParams::DEFAULT.config();
    let public_values = vec![vec![]; 3];
    let proof = prove(&config, &airs, &traces, &public_values).expect("proves");
    verify(&config, &airs, &proof, &public_values).expect("verifies");
}

/// An honest batch: an ALU chip's trace for some events, the byte table's and a driver's.
#[derive(Debug)]
pub(crate) struct Honest {
    pub chip: TestChip,
    pub trace: RowMajorMatrix<Val>,
    pub bytes: RowMajorMatrix<Val>,
    pub driver: RowMajorMatrix<Val>,
}

impl Honest {
    pub(crate) fn new(chip: TestChip, events: &[AluEvent]) -> Self {
        let counter = ByteCounter::new();
        let trace = chip.alu_trace(events, &counter);
        let bytes = ByteChip.generate_trace(&counter);
        Self {
            chip,
            trace,
            bytes,
            driver: alu_driver_trace(events),
        }
    }

    /// The debug checker on the three chips: `Ok` while nothing was tampered with.
    pub(crate) fn check(&self) -> Result<(), Vec<DebugFailure>> {
        debug(&[
            (self.chip, &self.trace),
            (TestChip::Byte, &self.bytes),
            (TestChip::AluDriver, &self.driver),
        ])
    }

    /// This sample with `cells` of `row` overwritten: whether a constraint of `chip` fails on
    /// that row, and whether the byte and ALU buses do.
    pub(crate) fn tampered(
        mut self,
        chip: &str,
        row: usize,
        cells: &[(usize, u32)],
    ) -> (bool, bool, bool) {
        for &(col, value) in cells {
            set(&mut self.trace, row, col, value);
        }
        let failures = self.check().expect_err("tampering must be caught");
        (
            constraint_fails(&failures, chip, row),
            bus_fails(&failures, "byte"),
            bus_fails(&failures, "exec"),
        )
    }

    /// The debug checker on the chip and the byte table, without the driver.
    pub(crate) fn check_without_driver(&self) -> Result<(), Vec<DebugFailure>> {
        debug(&[(self.chip, &self.trace), (TestChip::Byte, &self.bytes)])
    }
}

/// Whether a cheating prover could complete `batch` (no byte table in it) with a byte table of
/// its choosing: `Ok` when no constraint fails, every other bus balances and every byte lookup is
/// an entry of the table (which the byte chip's tests show provides exactly `ByteOp::entry`), so
/// some multiplicities balance them. Otherwise the failures that no multiplicities can fix.
pub(crate) fn completable(
    batch: &[(TestChip, &RowMajorMatrix<Val>)],
) -> Result<(), Vec<DebugFailure>> {
    let Err(failures) = debug(batch) else {
        return Ok(());
    };
    assert!(
        failures.len() < 64,
        "too many failures to judge: {failures:?}"
    );
    let table_has = |message: &[u32]| {
        let op = ByteOp::ALL.into_iter().find(|&op| op as u32 == message[0]);
        let entry = [message[1], message[2], message[3]];
        op.is_some_and(|op| {
            op.row_of(entry)
                .is_some_and(|(x, y)| op.entry(x, y) == Some(entry))
        })
    };
    let rest: Vec<_> = failures
        .into_iter()
        .filter(|f| !matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && table_has(message)))
        .collect();
    if rest.is_empty() { Ok(()) } else { Err(rest) }
}

/// The largest degree of `chip`'s constraints and of the LogUp constraint of any one of its
/// interactions on its own (`max(1 + deg(message), deg(count))`; packing same-bus
/// interactions is the prover's choice within its degree budget).
pub(crate) fn max_constraint_degree(chip: TestChip) -> usize {
    use p3_air::symbolic::AirLayout;
    use p3_lookup::InteractionSymbolicBuilder;

    let builder = InteractionSymbolicBuilder::<Val>::from_air(&chip, AirLayout::from_air(&chip));
    let constraints = builder
        .base_constraints()
        .iter()
        .map(|c| c.degree_multiple())
        .max();
    let interactions = builder.global_interactions().iter().map(|i| {
        let message = i.fields.iter().map(|f| f.degree_multiple()).max();
        (1 + message.unwrap_or(0)).max(i.count.degree_multiple())
    });
    constraints
        .into_iter()
        .chain(interactions)
        .max()
        .unwrap_or(0)
}
