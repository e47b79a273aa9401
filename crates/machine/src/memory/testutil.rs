//! Test support for the memory and program chips: one chip enum (the debug checker and the
//! prover take a single AIR type), a chip exercising the access gadget, a stand-in byte table
//! that provides exactly the lookups a `ByteCounter` counted, and checks on debug reports.

use std::collections::BTreeMap;

use geode_stark::debug::{DebugFailure, check_pairs};
use geode_stark::{Bus, Chip, Val, columns};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use super::access::{MemoryAccessCols, eval_access, eval_read, populate_access};
use super::{ImageChip, MemoryFinalChip, MemoryInitChip, padded_height, word_bytes};
use crate::bus::{ByteOp, GeodeBus};
use crate::byte_counter::ByteCounter;
use crate::program::ProgramChip;

columns! {
    /// One access through the gadget: `(addr, value, ts)` left, the found state in `access`.
    pub struct AccessTestCols<T> {
        pub addr: T,
        pub value: [T; 4],
        pub ts: T,
        pub is_real: T,
        pub access: MemoryAccessCols<T>,
    }
}

columns! {
    /// One byte-table entry provided `count` times.
    pub struct ByteStandInCols<T> {
        pub entry: [T; 4],
        pub count: T,
    }
}

/// One access for [`access_trace`]: `(addr, prev_value, prev_ts, value, ts)`.
pub(crate) type Access = (u32, u32, u32, u32, u32);

/// Every chip the tests combine.
#[derive(Clone, Debug)]
pub(crate) enum TestChip {
    Init(MemoryInitChip),
    Image(ImageChip),
    Final(MemoryFinalChip),
    Program(ProgramChip),
    /// Uses the access gadget once per row.
    Access,
    /// The same columns through `eval_read` (`value` unused).
    Read,
    /// Provides byte-table entries (not a proof of anything: tests only).
    Bytes,
}

macro_rules! dispatch {
    ($self:expr, $chip:ident => $body:expr, $access:expr, $bytes:expr) => {
        match $self {
            TestChip::Init($chip) => $body,
            TestChip::Image($chip) => $body,
            TestChip::Final($chip) => $body,
            TestChip::Program($chip) => $body,
            TestChip::Access | TestChip::Read => $access,
            TestChip::Bytes => $bytes,
        }
    };
}

impl BaseAir<Val> for TestChip {
    fn width(&self) -> usize {
        dispatch!(self, c => c.width(), AccessTestCols::<u8>::NUM_COLS, ByteStandInCols::<u8>::NUM_COLS)
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        dispatch!(self, c => c.preprocessed_trace(), None, None)
    }
    fn preprocessed_width(&self) -> usize {
        dispatch!(self, c => c.preprocessed_width(), 0, 0)
    }
    fn main_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, c => c.main_next_row_columns(), Vec::new(), Vec::new())
    }
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, c => c.preprocessed_next_row_columns(), Vec::new(), Vec::new())
    }
}

impl Chip<Val> for TestChip {
    fn name(&self) -> &'static str {
        match self {
            TestChip::Read => "read",
            _ => dispatch!(self, c => c.name(), "access", "bytes"),
        }
    }
    fn column_names(&self) -> Vec<String> {
        dispatch!(self, c => c.column_names(), AccessTestCols::<u8>::names(), ByteStandInCols::<u8>::names())
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for TestChip {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        dispatch!(self, c => c.eval(builder), {
            let row = AccessTestCols::from_slice(main.current_slice());
            builder.assert_bool(row.is_real);
            let (addr, ts, count) = (e(row.addr), e(row.ts), e(row.is_real));
            if matches!(self, TestChip::Read) {
                eval_read(builder, &row.access, addr, ts, count);
            } else {
                eval_access(builder, &row.access, addr, row.value.map(e), ts, count);
            }
        }, {
            let row = ByteStandInCols::from_slice(main.current_slice());
            GeodeBus::Byte.provide(builder, row.entry.map(e), e(row.count));
        })
    }
}

/// The access chip's trace.
pub(crate) fn access_trace(accesses: &[Access], bytes: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = AccessTestCols::<u8>::NUM_COLS;
    let mut values = Val::zero_vec(padded_height(accesses.len()) * width);
    for (row, &(addr, prev_value, prev_ts, value, ts)) in
        values.chunks_exact_mut(width).zip(accesses)
    {
        let cols = AccessTestCols::from_slice_mut(row);
        cols.addr = Val::from_u32(addr);
        cols.value = word_bytes(value);
        cols.ts = Val::from_u32(ts);
        cols.is_real = Val::ONE;
        populate_access(&mut cols.access, prev_value, prev_ts, ts, bytes);
    }
    RowMajorMatrix::new(values, width)
}

/// Every lookup `bytes` counted, as `(op, x, y, z)` messages with their counts.
pub(crate) fn counted_lookups(bytes: &ByteCounter) -> BTreeMap<Vec<u32>, i64> {
    let mut out = BTreeMap::new();
    for op in ByteOp::ALL {
        for x in 0..=255u8 {
            for y in 0..=255u8 {
                let count = bytes.count(op, x, y);
                if let (true, Some(entry)) = (count > 0, op.entry(x, y)) {
                    let message = [op as u32].into_iter().chain(entry).collect();
                    out.insert(message, i64::from(count));
                }
            }
        }
    }
    out
}

/// The stand-in byte table's trace: each counted lookup, provided as often as counted.
pub(crate) fn byte_trace(bytes: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = ByteStandInCols::<u8>::NUM_COLS;
    let lookups = counted_lookups(bytes);
    let mut values = Val::zero_vec(padded_height(lookups.len()) * width);
    for (row, (message, count)) in values.chunks_exact_mut(width).zip(&lookups) {
        let cols = ByteStandInCols::from_slice_mut(row);
        cols.entry = std::array::from_fn(|k| Val::from_u32(message[k]));
        cols.count = Val::from_u32(*count as u32);
    }
    RowMajorMatrix::new(values, width)
}

/// Runs the debug checker over `(chip, trace)` pairs.
pub(crate) fn debug(chips: &[(TestChip, RowMajorMatrix<Val>)]) -> Result<(), Vec<DebugFailure>> {
    check_pairs(chips.iter().map(|(air, trace)| (air, trace)))
}

/// The unbalanced messages of `bus` in a report, with signed net multiplicities.
pub(crate) fn unbalanced(failures: &[DebugFailure], bus: &str) -> BTreeMap<Vec<u32>, i64> {
    let signed = |net: u32| {
        if net > Val::ORDER_U32 / 2 {
            -i64::from(Val::ORDER_U32 - net)
        } else {
            i64::from(net)
        }
    };
    failures
        .iter()
        .filter_map(|f| match f {
            DebugFailure::Bus {
                bus: b,
                message,
                net,
                ..
            } if b == bus => Some((message.clone(), signed(*net))),
            _ => None,
        })
        .collect()
}

/// The constraint failures of a report, as `(chip, row)`.
pub(crate) fn constraint_failures(failures: &[DebugFailure]) -> Vec<(String, usize)> {
    failures
        .iter()
        .filter_map(|f| match f {
            DebugFailure::Constraint { chip, row, .. } => Some((chip.clone(), *row)),
            _ => None,
        })
        .collect()
}

/// Whether `(op, x, y, z)` is an entry of the byte table.
pub(crate) fn is_table_entry(message: &[u32]) -> bool {
    let [op, x, y, z] = message else { return false };
    let Some(&op) = ByteOp::ALL.get(*op as usize) else {
        return false;
    };
    op.row_of([*x, *y, *z]).and_then(|(x, y)| op.entry(x, y)) == Some([*x, *y, *z])
}

/// Asserts a report holds no constraint failure and, as unbalanced messages, exactly `memory`
/// on the Memory bus, the lookups `bytes` counted on the Byte bus, and nothing else.
pub(crate) fn assert_only_unbalanced(
    result: Result<(), Vec<DebugFailure>>,
    memory: &BTreeMap<Vec<u32>, i64>,
    bytes: &ByteCounter,
) {
    let failures = result.err().unwrap_or_default();
    assert!(
        failures.len() < 64,
        "the report may be truncated: {failures:#?}"
    );
    assert_eq!(constraint_failures(&failures), [], "{failures:#?}");
    assert_eq!(&unbalanced(&failures, "memory"), memory, "{failures:#?}");
    assert_eq!(
        unbalanced(&failures, "byte"),
        counted_lookups(bytes),
        "{failures:#?}"
    );
    let others = failures
        .iter()
        .filter(|f| !["memory", "byte"].contains(&f.subject()));
    assert_eq!(others.count(), 0, "{failures:#?}");
}

/// `(addr, value bytes…, ts)`: a Memory-bus message.
pub(crate) fn memory_message(addr: u32, value: u32, ts: u32) -> Vec<u32> {
    let mut message = vec![addr];
    message.extend(value.to_le_bytes().map(u32::from));
    message.push(ts);
    message
}
