//! Test support: the chips a load-store test batch holds (the chip, the byte table, and drivers
//! standing in for the CPU and for the rest of memory), events with the executor's semantics,
//! and the debug checker over a batch.

use geode_executor::Opcode;
use geode_executor::record::{MemoryEvent, SLOT_MEM, timestamp};
use geode_stark::debug::{DebugFailure, check_pairs};
use geode_stark::{Bus, Chip, FastParams, Val, columns, prove, verify};
use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;

use super::columns::LoadStoreCols;
use super::trace::{fill, size};
use super::{LoadStoreChip, LoadStoreEvent};
use crate::bus::{ByteOp, GeodeBus};
use crate::byte::ByteChip;
use crate::byte_counter::ByteCounter;
use crate::memory::{padded_height, word_bytes};

columns! {
    /// Stands in for the CPU: sends `(clk, opcode, rd_is_x0, b, imm, c, a)` on LoadStore.
    pub struct CpuDriverCols<T> {
        pub clk: T,
        pub opcode: T,
        pub rd_is_x0: T,
        pub b: [T; 4],
        pub imm: [T; 4],
        pub c: [T; 4],
        pub a: [T; 4],
        pub is_real: T,
    }
}

columns! {
    /// Stands in for the rest of memory around one access: sends the state the access finds,
    /// `(addr, prev_value, prev_ts)`, and receives the state it leaves, `(addr, value, ts)`.
    pub struct MemoryDriverCols<T> {
        pub addr: T,
        pub prev_value: [T; 4],
        pub prev_ts: T,
        pub value: [T; 4],
        pub ts: T,
        pub is_real: T,
    }
}

/// Every chip a test batch may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TestChip {
    LoadStore,
    Byte,
    CpuDriver,
    MemoryDriver,
}

impl BaseAir<Val> for TestChip {
    fn width(&self) -> usize {
        match self {
            TestChip::LoadStore => BaseAir::<Val>::width(&LoadStoreChip),
            TestChip::Byte => BaseAir::<Val>::width(&ByteChip),
            TestChip::CpuDriver => CpuDriverCols::<u8>::NUM_COLS,
            TestChip::MemoryDriver => MemoryDriverCols::<u8>::NUM_COLS,
        }
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            TestChip::Byte => ByteChip.preprocessed_trace(),
            _ => None,
        }
    }
    fn preprocessed_width(&self) -> usize {
        match self {
            TestChip::Byte => BaseAir::<Val>::preprocessed_width(&ByteChip),
            _ => 0,
        }
    }
    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            TestChip::LoadStore => LoadStoreChip.main_next_row_columns(),
            TestChip::Byte => ByteChip.main_next_row_columns(),
            TestChip::CpuDriver | TestChip::MemoryDriver => Vec::new(),
        }
    }
}

impl<AB: AirBuilder<F = Val> + InteractionBuilder> Air<AB> for TestChip {
    fn eval(&self, builder: &mut AB) {
        let e = |v: AB::Var| -> AB::Expr { v.into() };
        match self {
            TestChip::LoadStore => LoadStoreChip.eval(builder),
            TestChip::Byte => ByteChip.eval(builder),
            TestChip::CpuDriver => {
                let main = builder.main();
                let row = CpuDriverCols::from_slice(main.current_slice());
                builder.assert_bool(row.is_real);
                let message = [row.clk, row.opcode, row.rd_is_x0]
                    .into_iter()
                    .chain(row.b)
                    .chain(row.imm)
                    .chain(row.c)
                    .chain(row.a)
                    .map(e);
                GeodeBus::LoadStore.send(builder, message, e(row.is_real), 1);
            }
            TestChip::MemoryDriver => {
                let main = builder.main();
                let row = MemoryDriverCols::from_slice(main.current_slice());
                builder.assert_bool(row.is_real);
                let found = [row.addr]
                    .into_iter()
                    .chain(row.prev_value)
                    .chain([row.prev_ts]);
                GeodeBus::Memory.send(builder, found.map(e), e(row.is_real), 1);
                let left = [row.addr].into_iter().chain(row.value).chain([row.ts]);
                GeodeBus::Memory.receive(builder, left.map(e), e(row.is_real), 1);
            }
        }
    }
}

impl Chip<Val> for TestChip {
    fn name(&self) -> &'static str {
        match self {
            TestChip::LoadStore => LoadStoreChip.name(),
            TestChip::Byte => ByteChip.name(),
            TestChip::CpuDriver => "cpu_driver",
            TestChip::MemoryDriver => "memory_driver",
        }
    }
    fn column_names(&self) -> Vec<String> {
        match self {
            TestChip::LoadStore => LoadStoreChip.column_names(),
            TestChip::Byte => ByteChip.column_names(),
            TestChip::CpuDriver => CpuDriverCols::<u8>::names(),
            TestChip::MemoryDriver => MemoryDriverCols::<u8>::names(),
        }
    }
}

/// A trace of one row per item, filled by `fill`, padded with zero rows.
fn driver_trace<T>(
    items: &[T],
    width: usize,
    fill: impl Fn(&T, &mut [Val]),
) -> RowMajorMatrix<Val> {
    let mut values = Val::zero_vec(padded_height(items.len()) * width);
    for (row, item) in values.chunks_exact_mut(width).zip(items) {
        fill(item, row);
    }
    RowMajorMatrix::new(values, width)
}

/// The CPU driver's trace: one LoadStore message per event.
fn cpu_driver_trace(events: &[LoadStoreEvent]) -> RowMajorMatrix<Val> {
    driver_trace(events, CpuDriverCols::<u8>::NUM_COLS, |e, row| {
        let cols = CpuDriverCols::from_slice_mut(row);
        cols.clk = Val::from_u32(e.clk);
        cols.opcode = Val::from_u8(e.opcode as u8);
        cols.rd_is_x0 = Val::from_bool(e.rd_is_x0);
        (cols.b, cols.imm) = (word_bytes(e.b), word_bytes(e.imm));
        (cols.c, cols.a) = (word_bytes(e.c), word_bytes(e.a));
        cols.is_real = Val::ONE;
    })
}

/// The memory driver's trace: each event's access, as the rest of memory sees it.
fn memory_driver_trace(events: &[LoadStoreEvent]) -> RowMajorMatrix<Val> {
    driver_trace(events, MemoryDriverCols::<u8>::NUM_COLS, |e, row| {
        let cols = MemoryDriverCols::from_slice_mut(row);
        let m = &e.memory;
        cols.addr = Val::from_u32(m.addr);
        cols.prev_value = word_bytes(m.prev_value);
        cols.prev_ts = Val::from_u32(m.prev_ts);
        cols.value = word_bytes(m.value);
        cols.ts = Val::from_u32(timestamp(m.clk, SLOT_MEM));
        cols.is_real = Val::ONE;
    })
}

/// The load `op` at `b + imm` in cycle `clk` that finds `word` (written at timestamp
/// `prev_ts`), into `x0` if `rd_is_x0`: the event the executor records, valid or not.
pub(super) fn load(
    op: Opcode,
    clk: u32,
    [b, imm]: [u32; 2],
    word: u32,
    prev_ts: u32,
    rd_is_x0: bool,
) -> LoadStoreEvent {
    let addr = b.wrapping_add(imm);
    let a = if rd_is_x0 {
        0
    } else {
        loaded(op, word, addr & 3)
    };
    LoadStoreEvent {
        clk,
        opcode: op,
        rd_is_x0,
        b,
        imm,
        c: 0,
        a,
        memory: MemoryEvent {
            clk,
            addr: addr & !3,
            value: word,
            prev_value: word,
            prev_ts,
        },
    }
}

/// The store `op` of `data` at `b + imm` in cycle `clk` over `word` (written at `prev_ts`).
pub(super) fn store(
    op: Opcode,
    clk: u32,
    [b, imm]: [u32; 2],
    word: u32,
    prev_ts: u32,
    data: u32,
) -> LoadStoreEvent {
    let addr = b.wrapping_add(imm);
    LoadStoreEvent {
        clk,
        opcode: op,
        rd_is_x0: false,
        b,
        imm,
        c: data,
        a: 0,
        memory: MemoryEvent {
            clk,
            addr: addr & !3,
            value: stored(op, word, addr & 3, data),
            prev_value: word,
            prev_ts,
        },
    }
}

/// A batch: the chip's trace for some events with the add-sub chip, the byte table and both
/// drivers.
#[derive(Debug)]
pub(super) struct Batch {
    pub(super) trace: RowMajorMatrix<Val>,
    pub(super) bytes: RowMajorMatrix<Val>,
    pub(super) cpu: RowMajorMatrix<Val>,
    pub(super) memory: RowMajorMatrix<Val>,
}

impl Batch {
    /// The honest batch of `events` (through `generate_trace`, which validates them).
    pub(super) fn new(events: &[LoadStoreEvent]) -> Self {
        let counter = ByteCounter::new();
        let trace = LoadStoreChip.generate_trace(events, &counter);
        Self::with_trace(events, trace, &counter)
    }

    /// The batch whose load-store trace is the natural witness of `events`, valid or not:
    /// each row filled as for a valid event, without the checks of `generate_trace`. Only the
    /// memory access's lookups are counted, so judge it with [`Batch::completable`].
    pub(super) fn forged(events: &[LoadStoreEvent]) -> Self {
        let counter = ByteCounter::new();
        let width = LoadStoreCols::<u8>::NUM_COLS;
        let trace = driver_trace(events, width, |e, row| {
            fill(LoadStoreCols::from_slice_mut(row), e, &counter);
        });
        Self::with_trace(events, trace, &counter)
    }

    fn with_trace(
        events: &[LoadStoreEvent],
        trace: RowMajorMatrix<Val>,
        counter: &ByteCounter,
    ) -> Self {
        Self {
            trace,
            bytes: ByteChip.generate_trace(counter),
            cpu: cpu_driver_trace(events),
            memory: memory_driver_trace(events),
        }
    }

    fn chips(&self) -> [(TestChip, &RowMajorMatrix<Val>); 4] {
        [
            (TestChip::LoadStore, &self.trace),
            (TestChip::Byte, &self.bytes),
            (TestChip::CpuDriver, &self.cpu),
            (TestChip::MemoryDriver, &self.memory),
        ]
    }

    /// The debug checker on all four chips: `Ok` while nothing was tampered with.
    pub(super) fn check(&self) -> Result<(), Vec<DebugFailure>> {
        debug(&self.chips())
    }

    /// The debug checker without the drivers: the LoadStore receives and the memory accesses
    /// are left unmatched.
    pub(super) fn check_without_drivers(&self) -> Result<(), Vec<DebugFailure>> {
        debug(&self.chips()[..2])
    }

    /// Whether a cheating prover could complete this batch with a byte table of its choosing:
    /// `Ok` when no constraint fails, every other bus balances and every byte lookup is an
    /// entry of the table. Otherwise the failures no multiplicities can fix.
    pub(super) fn completable(&self) -> Result<(), Vec<DebugFailure>> {
        let chips = self.chips();
        let without_table = [chips[0], chips[2], chips[3]];
        let Err(failures) = debug(&without_table) else {
            return Ok(());
        };
        assert!(
            failures.len() < 64,
            "too many failures to judge: {failures:?}"
        );
        let rest: Vec<_> = failures
            .into_iter()
            .filter(|f| !matches!(f, DebugFailure::Bus { bus, message, .. } if bus == "byte" && is_table_entry(message)))
            .collect();
        if rest.is_empty() { Ok(()) } else { Err(rest) }
    }

    /// Proves and verifies the four chips.
    pub(super) fn prove_and_verify(&self) {
        let chips = self.chips();
        let airs = chips.map(|(chip, _)| chip);
        let traces = chips.map(|(_, trace)| trace.clone());
        let config = FastParams::DEFAULT.config();
        let public_values = vec![vec![]; airs.len()];
        let proof = prove(&config, &airs, &traces, &public_values).expect("proves");
        verify(&config, &airs, &proof, &public_values).expect("verifies");
    }
}

/// Runs the debug checker on `(chip, trace)` pairs (no public values).
fn debug(batch: &[(TestChip, &RowMajorMatrix<Val>)]) -> Result<(), Vec<DebugFailure>> {
    check_pairs(batch.iter().map(|(air, trace)| (air, *trace)))
}

/// Whether `(op, x, y, z)` is an entry of the byte table.
pub(super) fn is_table_entry(message: &[u32]) -> bool {
    let [op, x, y, z] = message else { return false };
    let Some(&op) = ByteOp::ALL.get(*op as usize) else {
        return false;
    };
    op.row_of([*x, *y, *z]).and_then(|(x, y)| op.entry(x, y)) == Some([*x, *y, *z])
}

/// A net multiplicity as a signed integer.
pub(super) fn signed(net: u32) -> i64 {
    if net > Val::ORDER_U32 / 2 {
        -i64::from(Val::ORDER_U32 - net)
    } else {
        i64::from(net)
    }
}

/// The load `op` of the byte at `offset` of `word` (the executor's semantics).
fn loaded(op: Opcode, word: u32, offset: u32) -> u32 {
    let raw = word >> (8 * offset);
    match op {
        Opcode::Lb => raw as u8 as i8 as u32,
        Opcode::Lh => raw as u16 as i16 as u32,
        Opcode::Lbu => u32::from(raw as u8),
        Opcode::Lhu => u32::from(raw as u16),
        _ => raw,
    }
}

/// `word` after the store `op` of `data` at byte `offset` (the executor's semantics).
fn stored(op: Opcode, word: u32, offset: u32, data: u32) -> u32 {
    let bits = 8 * size(op);
    let mask = (u32::MAX >> (32 - bits)) << (8 * offset);
    (word & !mask) | ((data << (8 * offset)) & mask)
}
