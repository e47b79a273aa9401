//! Rows of the register-only syscalls.

use geode_executor::ExecutionRecord;

use geode_platform::syscall;
use geode_stark::Val;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;

use super::IDS;
use super::columns::MiscSyscallCols;
use crate::byte_counter::ByteCounter;

/// One row per WRITE, COMMIT or HINT_LEN of `record` (padded to a power of two, at least 2).
pub fn generate_trace(record: &ExecutionRecord, counter: &ByteCounter) -> RowMajorMatrix<Val> {
    let width = MiscSyscallCols::<u8>::NUM_COLS;
    let calls: Vec<_> = record
        .syscalls
        .iter()
        .filter(|s| IDS.contains(&s.id))
        .collect();
    let height = calls.len().next_power_of_two().max(2);
    let mut values = Val::zero_vec(width * height);
    for (row, call) in values.chunks_exact_mut(width).zip(&calls) {
        let cols = MiscSyscallCols::from_slice_mut(row);
        // The CPU event of the same cycle holds the result (a0 after the call).
        let cpu = &record.cpu[record.cpu.partition_point(|c| c.clk < call.clk)];
        cols.clk = Val::from_u32(call.clk);
        cols.is_write = Val::from_bool(call.id == syscall::WRITE);
        cols.is_commit = Val::from_bool(call.id == syscall::COMMIT);
        cols.is_hint_len = Val::from_bool(call.id == syscall::HINT_LEN);
        cols.a0 = call.arg0.to_le_bytes().map(Val::from_u8);
        cols.result = cpu.a.to_le_bytes().map(Val::from_u8);
        if call.id == syscall::HINT_LEN {
            counter.word(cpu.a);
        }
        crate::syscall::populate_entry(&mut cols.a1_access, &mut cols.a2_access, call, counter);
    }
    RowMajorMatrix::new(values, width)
}
